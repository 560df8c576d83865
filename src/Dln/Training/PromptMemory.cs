namespace DeepLanguageNetworks;

/// <summary>The best prompt sets seen so far with their dev accuracy, best first, up to a fixed size.</summary>
internal sealed class PromptMemory
{
    private readonly List<MemoryEntry> _entries = [];

    public PromptMemory(int capacity) => Capacity = capacity;

    public int Capacity { get; }

    public IReadOnlyList<MemoryEntry> Entries => _entries;

    public void Add(IReadOnlyList<string> prompts, double devAccuracy)
    {
        if (Capacity <= 0)
        {
            return;
        }

        _entries.RemoveAll(e => e.Prompts.SequenceEqual(prompts));
        _entries.Add(new MemoryEntry([.. prompts], devAccuracy));
        // Stable sort keeps the earlier entry first on ties.
        var sorted = _entries.OrderByDescending(e => e.DevAccuracy).Take(Capacity).ToList();
        _entries.Clear();
        _entries.AddRange(sorted);
    }

    public IReadOnlyList<string> PromptsForLayer(int layer) =>
        _entries.Select(e => e.Prompts[layer]).Distinct(StringComparer.Ordinal).ToArray();

    public void Restore(IEnumerable<MemoryEntry> entries)
    {
        _entries.Clear();
        _entries.AddRange(entries);
    }
}
