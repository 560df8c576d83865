namespace DeepLanguageNetworks;

/// <summary>What happened to the backward model's proposals in one layer update (the rules are in the README's "Odd model outputs" table).</summary>
/// <param name="Requested">Proposals asked for.</param>
/// <param name="Empty">Empty or whitespace-only proposals, dropped.</param>
/// <param name="Clipped">Proposals longer than the limit, cut at a word boundary.</param>
/// <param name="Duplicates">Proposals equal to the current prompt, a memory prompt or another proposal, scored once.</param>
/// <param name="MarkersRemoved">Proposals from which meta-prompt markup (quote markers, end marker, headings) was removed.</param>
public readonly record struct ProposalStatistics(int Requested, int Empty, int Clipped, int Duplicates, int MarkersRemoved)
{
    /// <summary>
    /// Shown examples taken out of meta-prompts that did not fit the backward model's context window: such a
    /// meta-prompt is sent again without its last shown example, one at a time, while more than one is left.
    /// </summary>
    public int ShownExamplesDropped { get; init; }

    /// <summary>Proposals dropped because their meta-prompt did not fit the context window even with a single shown example.</summary>
    public int ContextOverflows { get; init; }

    /// <summary>Adds two sets of statistics.</summary>
    /// <param name="a">First.</param>
    /// <param name="b">Second.</param>
    /// <returns>The sum.</returns>
    public static ProposalStatistics operator +(ProposalStatistics a, ProposalStatistics b) =>
        new(a.Requested + b.Requested, a.Empty + b.Empty, a.Clipped + b.Clipped, a.Duplicates + b.Duplicates, a.MarkersRemoved + b.MarkersRemoved)
        {
            ShownExamplesDropped = a.ShownExamplesDropped + b.ShownExamplesDropped,
            ContextOverflows = a.ContextOverflows + b.ContextOverflows,
        };
}
