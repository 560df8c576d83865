namespace DeepLanguageNetworks.Tests.Scripted;

/// <summary>
/// The only source of randomness of the scripted world: a <see cref="Random"/> seeded from a request's seed and
/// sample index by SplitMix64. Hand-written because string and tuple hash codes are randomised per process, and the
/// world must give the same text for the same request in every run.
/// </summary>
internal static class SeededRandom
{
    public static Random For(long? seed, int sampleIndex)
    {
        unchecked
        {
            var z = (ulong)(seed ?? 0) ^ ((ulong)(uint)sampleIndex * 0x9E3779B97F4A7C15UL);
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return new Random((int)(z & 0x7FFFFFFF));
        }
    }
}
