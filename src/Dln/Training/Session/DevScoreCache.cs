namespace DeepLanguageNetworks;

/// <summary>
/// The dev accuracy of every prompt set measured so far, so that a validation of prompts already measured (after a
/// skipped or failed iteration, or a backtrack) costs no call. Part of the checkpoint.
/// </summary>
internal sealed class DevScoreCache
{
    private readonly Dictionary<IReadOnlyList<string>, double> _scores = new(PromptSetComparer.Instance);

    public int Count => _scores.Count;

    /// <summary>The measured sets in the order they were measured.</summary>
    public IReadOnlyList<MemoryEntry> Entries => _scores.Select(kv => new MemoryEntry(kv.Key, kv.Value)).ToArray();

    public bool TryGet(IReadOnlyList<string> prompts, out double devAccuracy) => _scores.TryGetValue(prompts, out devAccuracy);

    public void Set(IReadOnlyList<string> prompts, double devAccuracy) => _scores[prompts.ToArray()] = devAccuracy;

    public void Restore(IEnumerable<MemoryEntry> entries)
    {
        _scores.Clear();
        foreach (var e in entries)
        {
            Set(e.Prompts, e.DevAccuracy);
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
