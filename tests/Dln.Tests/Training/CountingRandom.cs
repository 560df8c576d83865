namespace DeepLanguageNetworks.Tests.Training;

/// <summary>A seeded <see cref="Random"/> that counts how many numbers were drawn from it.</summary>
internal sealed class CountingRandom(int seed) : Random(seed)
{
    private int _draws;

    public int Draws => Volatile.Read(ref _draws);

    public override int Next() => Count(base.Next());

    public override int Next(int maxValue) => Count(base.Next(maxValue));

    public override int Next(int minValue, int maxValue) => Count(base.Next(minValue, maxValue));

    public override long NextInt64() => Count(base.NextInt64());

    public override long NextInt64(long maxValue) => Count(base.NextInt64(maxValue));

    public override long NextInt64(long minValue, long maxValue) => Count(base.NextInt64(minValue, maxValue));

    public override double NextDouble() => Count(base.NextDouble());

    public override float NextSingle() => Count(base.NextSingle());

    public override void NextBytes(byte[] buffer)
    {
        Interlocked.Increment(ref _draws);
        base.NextBytes(buffer);
    }

    public override void NextBytes(Span<byte> buffer)
    {
        Interlocked.Increment(ref _draws);
        base.NextBytes(buffer);
    }

    private T Count<T>(T value)
    {
        Interlocked.Increment(ref _draws);
        return value;
    }
}
