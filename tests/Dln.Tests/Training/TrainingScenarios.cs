using DeepLanguageNetworks.Tests.Scripted;

namespace DeepLanguageNetworks.Tests.Training;

/// <summary>The networks, data and scaled-down settings shared by the end-to-end training tests.</summary>
internal static class TrainingScenarios
{
    /// <summary>An initial prompt that states no rule and asks for no step.</summary>
    public const string UninformativePrompt = "Answer the question.";

    public static OutputSpace YesNo { get; } = OutputSpace.FromClasses("yes|Yes", "no|No");

    /// <summary>
    /// The paper's DLN-1 settings scaled down for speed (6 iterations, batches of 10, 6 candidates); everything else
    /// — validation every 2 iterations, memory 2, tolerance 2, balanced batches, backward temperature 0.7 — as published.
    /// </summary>
    public static VariationalTrainerOptions Dln1Small { get; } = VariationalTrainerOptions.Dln1 with
    {
        Iterations = 6,
        BatchSize = 10,
        PromptCandidates = 6,
    };

    /// <summary>
    /// The paper's DLN-2 settings (trust region 1, decayed exploration penalty 1, posterior temperature 1, hint
    /// samples half the time) scaled down: 6 iterations, batches of 10, 6 candidates, 4 hidden samples.
    /// </summary>
    public static VariationalTrainerOptions Dln2Small { get; } = VariationalTrainerOptions.Dln2 with
    {
        Iterations = 6,
        BatchSize = 10,
        PromptCandidates = 6,
        HiddenSamples = 4,
    };

    public static Dln NumberNetwork(ILanguageModel model, string prompt = UninformativePrompt) =>
        Dln.CreateOneLayer(model, prompt, YesNo);

    public static Dln DigitSumTwoLayer(ILanguageModel model) =>
        Dln.CreateTwoLayer(model, hiddenPrompt: string.Empty, outputPrompt: UninformativePrompt, YesNo);

    public static Dln DigitSumThreeLayer(ILanguageModel model) =>
        Dln.CreateDeep(model, [string.Empty, string.Empty], UninformativePrompt, YesNo);

    public static (Example[] Train, Example[] Dev, Example[] Test) DigitSumData() =>
        DigitSumTask.Splits(perClassTrain: 20, perClassDev: 15, perClassTest: 15);

    /// <summary>
    /// The fan-in network of <see cref="TwoFactsTask"/>: a step-by-step hidden node ("digits") and a whole-view hidden
    /// node ("lead") both read the input; the answer reads the input and both. Prompts start empty (hidden) and
    /// uninformative (output).
    /// </summary>
    public static Dln TwoFactsGraph(ILanguageModel model) => Dln.CreateGraph()
        .AddLayer("digits", new LanguageLayer(model, LayerTemplates.Hidden, string.Empty, OutputSpace.FreeText(32)))
        .AddLayer("lead", new LanguageLayer(model, TwoFactsTask.WholeViewTemplate, string.Empty, OutputSpace.FreeText(32)))
        .AddLayer("answer", new LanguageLayer(model, LayerTemplates.Output, UninformativePrompt, TwoFactsTask.Classes), inputs: ["input", "digits", "lead"])
        .Build(output: "answer");

    /// <summary>
    /// Two free-text hidden nodes and an answer that reads the input and both (the estimate tests' graphs). Fan-in: "a"
    /// and "b" read the input. Shared reader: "b" reads the input and "a", so the posterior of "a" is weighed by two
    /// readers.
    /// </summary>
    public static Dln TwoHiddenNodes(ILanguageModel model, string shape, OutputSpace classes, string promptA = "", string promptB = "")
    {
        LanguageLayer Hidden(string prompt) => new(model, LayerTemplates.Hidden, prompt, OutputSpace.FreeText(32));
        var graph = Dln.CreateGraph().AddLayer("a", Hidden(promptA));
        graph = shape switch
        {
            "fan-in" => graph.AddLayer("b", Hidden(promptB)),
            "shared reader" => graph.AddLayer("b", Hidden(promptB), inputs: ["input", "a"]),
            _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, "Expected \"fan-in\" or \"shared reader\"."),
        };
        return graph.AddLayer("answer", new LanguageLayer(model, LayerTemplates.Output, "Answer.", classes), inputs: ["input", "a", "b"]).Build(output: "answer");
    }

    /// <summary>The same three layers as a stack: digits, then lead (reading the input and digits), then the answer (reading the input and lead).</summary>
    public static Dln TwoFactsChain(ILanguageModel model) => new(
    [
        new LanguageLayer(model, LayerTemplates.Hidden, string.Empty, OutputSpace.FreeText(32)),
        new LanguageLayer(model, TwoFactsTask.WholeViewTemplate, string.Empty, OutputSpace.FreeText(32)),
        new LanguageLayer(model, LayerTemplates.Output, UninformativePrompt, TwoFactsTask.Classes),
    ]);

    public static (Example[] Train, Example[] Dev, Example[] Test) TwoFactsData() =>
        TwoFactsTask.Splits(perClassTrain: 10, perClassDev: 8, perClassTest: 8);

    /// <summary>One line per report: what a test prints so a reader sees how the run went.</summary>
    public static string Describe(TrainingResult result) =>
        string.Join('\n', result.History.Select(h =>
            $"it {h.Iteration}: batch {h.BatchAccuracy:0.00} dev {h.DevAccuracy:0.000} best {h.BestDevAccuracy:0.000}" +
            $"{(h.Skipped ? " skipped" : string.Empty)}{(h.Backtracked ? " backtracked" : string.Empty)} " +
            $"updates [{string.Join("; ", h.Updates.Select(u => $"L{u.Layer} {u.SelectedOrigin} {u.SelectedScore:0.000} (cur {u.CurrentScore:0.000}, {u.Candidates} cand)"))}] " +
            $"prompts [{string.Join(" | ", h.Prompts)}]"));
}
