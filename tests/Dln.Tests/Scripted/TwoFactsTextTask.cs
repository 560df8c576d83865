namespace DeepLanguageNetworks.Tests.Scripted;

/// <summary>
/// The free-text twin of <see cref="TwoFactsTask"/>: the same inputs and hidden layers (a step-by-step layer can state
/// the digit sum, a whole-view layer the first digit), but the answer is a text that names the facts it reads, target
/// "odd high": the parity of the digit sum when it reads the sum, the size of the number when it reads the first
/// digit, "unsure" when it reads neither. So one fact earns partial credit (token F1 2/3), both full marks, none 0, and
/// exact match sees nothing between none and both.
/// </summary>
internal sealed class TwoFactsTextTask : ScriptedTask
{
    private const string Unsure = "unsure";

    private TwoFactsTextTask()
    {
    }

    public static TwoFactsTextTask Instance { get; } = new();

    public override IReadOnlyList<string> Labels { get; } = [];

    public override IReadOnlyList<double> AnswerProbabilities(OutputCall call) =>
        throw new InvalidOperationException("The free-text two-facts task answers in free text; it has no class probabilities to score.");

    public override string Answer(OutputCall call)
    {
        var parity = TwoFactsTask.ReadDigitSum(call.Input) is { } sum ? (sum % 2 == 1 ? "odd" : "even") : null;
        var size = TwoFactsTask.ReadFirstDigit(call.Input) is { } lead ? (lead >= 5 ? "high" : "low") : null;
        return parity is null && size is null ? Unsure : string.Join(' ', new[] { parity, size }.OfType<string>());
    }

    public override string Think(HiddenCall call) => TwoFactsTask.Instance.Think(call);

    public override double ThoughtLogProbability(HiddenCall call, string thought) => TwoFactsTask.Instance.ThoughtLogProbability(call, thought);

    public override string SampleThought(HiddenCall call, Random random) => TwoFactsTask.Instance.SampleThought(call, random);

    public override string Propose(MetaPromptCall call, Random random) => TwoFactsTask.Instance.Propose(call, random);

    /// <summary>The splits of <see cref="TwoFactsTask.Splits"/> with free-text targets.</summary>
    public static (Example[] Train, Example[] Dev, Example[] Test) Splits(int perClassTrain, int perClassDev, int perClassTest, int seed = 5)
    {
        var (train, dev, test) = TwoFactsTask.Splits(perClassTrain, perClassDev, perClassTest, seed);
        static Example[] AsText(Example[] examples) => [.. examples.Select(e => e with { Target = e.Target.Replace('_', ' ') })];
        return (AsText(train), AsText(dev), AsText(test));
    }
}
