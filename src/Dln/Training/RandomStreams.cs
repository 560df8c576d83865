namespace DeepLanguageNetworks;

/// <summary>
/// The named random streams of a run. Every random choice of an iteration comes from a generator seeded by the run's
/// seed, the iteration and the stream (SplitMix64, stable across platforms), never from a generator that lives across
/// iterations: so the same seed gives the same run, and a run resumed from a checkpoint equals an uninterrupted one.
/// </summary>
internal enum RandomStream
{
    /// <summary>One step, in this order: the batch, the output layer's demonstrations, the posterior samples and the proposals.</summary>
    Step = 1,

    /// <summary>The output layer's demonstrations for a validation.</summary>
    Validation = 7,
}

/// <summary>Creates the generator of a stream (see <see cref="RandomStream"/>).</summary>
internal static class RandomStreams
{
    /// <summary>The generator of <paramref name="stream"/> for <paramref name="iteration"/> (0-based for steps; the iteration validated for validations).</summary>
    public static Random For(int seed, int iteration, RandomStream stream) => new(Seed(seed, iteration, stream));

    /// <summary>The seed of that generator.</summary>
    public static int Seed(int seed, int iteration, RandomStream stream)
    {
        unchecked
        {
            var z = ((ulong)(uint)seed << 32) ^ ((ulong)(uint)iteration << 8) ^ (uint)stream;
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (int)(z & 0x7FFFFFFF);
        }
    }
}
