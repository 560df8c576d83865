namespace DeepLanguageNetworks;

/// <summary>
/// The dev accuracy of every prompt set measured so far, so that a validation of prompts already measured (after a
/// skipped or failed iteration, or a backtrack) costs no call. Part of the checkpoint.
/// </summary>
/// <remarks>
/// A validation that stopped early (<see cref="VariationalTrainerOptions.StopValidationEarly"/>) knows no accuracy,
/// only a bound above it, which is kept apart: it never answers as a full score, but it still settles a later
/// validation of the same prompts, since the best dev accuracy it was below can only grow.
/// </remarks>
internal sealed class DevScoreCache
{
    private readonly Dictionary<IReadOnlyList<string>, double> _scores = new(PromptSetComparer.Instance);
    private readonly Dictionary<IReadOnlyList<string>, double> _bounds = new(PromptSetComparer.Instance);

    public int Count => _scores.Count;

    /// <summary>The measured sets in the order they were measured.</summary>
    public IReadOnlyList<MemoryEntry> Entries => _scores.Select(kv => new MemoryEntry(kv.Key, kv.Value)).ToArray();

    /// <summary>The sets whose validation stopped early, with the bound above their accuracy.</summary>
    public IReadOnlyList<MemoryEntry> Bounds => _bounds.Select(kv => new MemoryEntry(kv.Key, kv.Value)).ToArray();

    public bool TryGet(IReadOnlyList<string> prompts, out double devAccuracy) => _scores.TryGetValue(prompts, out devAccuracy);

    public bool TryGetBound(IReadOnlyList<string> prompts, out double upperBound) => _bounds.TryGetValue(prompts, out upperBound);

    public void Set(IReadOnlyList<string> prompts, double devAccuracy)
    {
        _scores[prompts.ToArray()] = devAccuracy;
        _bounds.Remove(prompts);
    }

    public void SetBound(IReadOnlyList<string> prompts, double upperBound) => _bounds[prompts.ToArray()] = upperBound;

    public void Restore(IEnumerable<MemoryEntry> entries, IEnumerable<MemoryEntry>? bounds)
    {
        _scores.Clear();
        _bounds.Clear();
        foreach (var e in entries)
        {
            Set(e.Prompts, e.DevAccuracy);
        }

        foreach (var e in bounds ?? [])
        {
            SetBound(e.Prompts, e.DevAccuracy);
        }
    }

    /// <summary>Prompt sets compared by content, prompt by prompt (ordinal).</summary>
    private sealed class PromptSetComparer : IEqualityComparer<IReadOnlyList<string>>
    {
        public static PromptSetComparer Instance { get; } = new();

        public bool Equals(IReadOnlyList<string>? x, IReadOnlyList<string>? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && x.SequenceEqual(y, StringComparer.Ordinal));

        public int GetHashCode(IReadOnlyList<string> prompts)
        {
            var hash = new HashCode();
            foreach (var p in prompts)
            {
                hash.Add(p, StringComparer.Ordinal);
            }

            return hash.ToHashCode();
        }
    }
}
