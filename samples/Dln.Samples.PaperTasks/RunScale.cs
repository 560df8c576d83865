namespace DeepLanguageNetworks.Samples.Benchmark;

/// <summary>
/// Data sizes and trainer settings for a kind of backend: the paper's for a hosted model, a small fraction of them for
/// the bundled local model (whose answers only show the mechanics), so that a run of one task finishes in seconds.
/// </summary>
/// <param name="Name">Shown in the header and the results: <c>local</c> or <c>paper</c>.</param>
/// <param name="Iterations">Training iterations of DLN-1 and DLN-2 unless <c>--iterations</c> is given.</param>
/// <param name="MaxTrain">Class-balanced cap on the training examples; <see langword="null"/> keeps the paper's split.</param>
/// <param name="MaxDev">Cap on the dev examples.</param>
/// <param name="MaxTest">Cap on the test examples.</param>
/// <param name="Dln1">DLN-1 settings (also used by the n-shot baselines, which only validate).</param>
/// <param name="Dln2">DLN-2 settings.</param>
/// <param name="HiddenMaxTokens">Longest hidden text of DLN-2's reasoning layer.</param>
internal sealed record RunScale(
    string Name,
    int Iterations,
    int? MaxTrain,
    int? MaxDev,
    int? MaxTest,
    VariationalTrainerOptions Dln1,
    VariationalTrainerOptions Dln2,
    int HiddenMaxTokens)
{
    /// <summary>The paper's settings: full splits, 20 iterations, the DLN-1 and DLN-2 presets, 256-token hidden texts.</summary>
    public static RunScale Paper { get; } = new(
        "paper", Iterations: 20, MaxTrain: null, MaxDev: null, MaxTest: null,
        VariationalTrainerOptions.Dln1, VariationalTrainerOptions.Dln2, HiddenMaxTokens: 256);

    /// <summary>
    /// For the bundled stories260K model on two cores: 40 / 12 / 20 examples, 2 iterations, DLN-1 with batches of 8 and
    /// 4 candidates, DLN-2 with batches of 4, 3 candidates and 2 hidden samples of at most 32 tokens, proposals of at
    /// most 48 tokens from meta-prompts that show 4 examples (the long BIG-Bench Hard questions must fit the context).
    /// All four methods on one task and seed take about 15 s on two cores (about a minute for the long seven-object
    /// logical deduction).
    /// </summary>
    public static RunScale Local { get; } = new(
        "local", Iterations: 2, MaxTrain: 40, MaxDev: 12, MaxTest: 20,
        VariationalTrainerOptions.Dln1 with { BatchSize = 8, PromptCandidates = 4, BackwardMaxTokens = 48, MaxExamplesInMetaPrompt = 4 },
        VariationalTrainerOptions.Dln2 with { BatchSize = 4, PromptCandidates = 3, HiddenSamples = 2, BackwardMaxTokens = 48, MaxExamplesInMetaPrompt = 4 },
        HiddenMaxTokens: 32);

    /// <summary>Looks a scale up by name.</summary>
    /// <param name="name"><c>local</c> or <c>paper</c>.</param>
    /// <returns>The scale.</returns>
    /// <exception cref="ArgumentException">Another name.</exception>
    public static RunScale Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "local" => Local,
        "paper" => Paper,
        _ => throw new ArgumentException($"Unknown scale \"{name}\": expected local or paper."),
    };
}
