namespace DeepLanguageNetworks.Samples.Benchmark;

/// <summary>A cap given on the command line for one split.</summary>
/// <param name="Limit">At most this many examples, chosen class-balanced; <see langword="null"/> for all of them (<c>all</c>).</param>
internal readonly record struct SplitCap(int? Limit);
