using System.Globalization;
using System.Text.RegularExpressions;

namespace DeepLanguageNetworks.Tests.Scripted;

/// <summary>
/// Fan-in world: inputs "Number: 4817", and the answer names two facts about the number at once: the parity of its
/// digit sum and whether its first digit is 5 or more, as one of four classes (<c>odd_high</c>, <c>odd_low</c>,
/// <c>even_high</c>, <c>even_low</c> (one word each: the paper's answer normalisation keeps the first word)). The output model cannot compute either fact; it answers from the facts it reads:
/// <list type="bullet">
/// <item>both ("digit sum = N" and "first digit = D"): the right class with probability 0.85;</item>
/// <item>one: 0.46 and 0.44 on the two classes that agree with it (so the argmax is right half the time);</item>
/// <item>none: uniform (25% accuracy, the class listed first).</item>
/// </list>
/// Each fact can be stated by only one kind of hidden layer, and only when its prompt asks for it: a layer that
/// reasons step by step (<see cref="LayerTemplates.Hidden"/>) can add the digits (<see cref="SumPhrase"/>), a layer
/// that looks at the number as a whole (<see cref="WholeViewTemplate"/>) can read its first digit
/// (<see cref="LeadPhrase"/>); a hidden text states at most one fact. So the answer needs a network whose output
/// reads two hidden layers of different kinds: a graph (fan-in) can, a stack cannot (its output reads the input and the
/// last hidden text only). Teacher forcing, posterior samples and proposals behave as in <see cref="DigitSumTask"/>.
/// </summary>
internal sealed partial class TwoFactsTask : ScriptedTask
{
    public const string SumPhrase = "add the digits";
    public const string LeadPhrase = "first digit";

    // The useless texts and noise instructions of the digit-sum world.
    private static readonly string[] UselessThoughts = DigitSumTask.UselessThoughts;
    private static readonly string[] HiddenNoise = DigitSumTask.HiddenNoise;

    private static readonly string[] OutputNoise =
    [
        "Name the parity of the digit sum and the size of the number.",
        "Answer with one of the four classes.",
        "Read the facts, then decide.",
    ];

    private TwoFactsTask()
    {
    }

    public static TwoFactsTask Instance { get; } = new();

    /// <summary>A hidden template that looks at the input as a whole; with it a layer can read the number's first digit, not add its digits.</summary>
    public static PromptTemplate WholeViewTemplate { get; } = new("{input}\n\n{prompt} " + ContextParser.WholeViewTrigger, [LayerTemplates.PromptPlaceholder, LayerTemplates.InputPlaceholder]);

    public static OutputSpace Classes { get; } = OutputSpace.FromClasses("odd_high", "odd_low", "even_high", "even_low");

    public override IReadOnlyList<string> Labels { get; } = ["odd_high", "odd_low", "even_high", "even_low"];

    public static string Label(int number) => $"{(DigitSumTask.DigitSum(number) % 2 == 1 ? "odd" : "even")}_{(FirstDigit(number) >= 5 ? "high" : "low")}";

    public override IReadOnlyList<double> AnswerProbabilities(OutputCall call)
    {
        var parity = ReadDigitSum(call.Input) is { } sum ? (sum % 2 == 1 ? "odd" : "even") : null;
        var size = ReadFirstDigit(call.Input) is { } lead ? (lead >= 5 ? "high" : "low") : null;
        return [.. Labels.Select(label =>
        {
            var (p, s) = (label[..label.IndexOf('_')], label[(label.IndexOf('_') + 1)..]);
            return (parity, size) switch
            {
                (not null, not null) => p == parity && s == size ? 0.85 : 0.05,
                (not null, null) => p == parity ? (s == "high" ? 0.46 : 0.44) : 0.05,
                (null, not null) => s == size ? (p == "odd" ? 0.46 : 0.44) : 0.05,
                _ => 0.25,
            };
        })];
    }

    public override string Think(HiddenCall call)
    {
        var number = Number(call.Input);
        return AsksOwnFact(call) ? OwnFact(call, number) : UselessThoughts[call.WholeView ? 1 : 0];
    }

    public override double ThoughtLogProbability(HiddenCall call, string thought)
    {
        var number = Number(call.Input);
        var stated = call.WholeView ? ReadFirstDigit(thought) : ReadDigitSum(thought);
        var truth = call.WholeView ? FirstDigit(number) : DigitSumTask.DigitSum(number);
        if (!AsksOwnFact(call))
        {
            return stated is null ? -1.2 : -1.5;
        }

        return stated is null ? -2.5 : stated == truth ? -0.2 : -2.0;
    }

    public override string SampleThought(HiddenCall call, Random random)
    {
        var number = Number(call.Input);
        var useless = UselessThoughts[random.Next(UselessThoughts.Length)];
        var draw = random.NextDouble();
        if (call.Hint is not null)
        {
            return draw < 0.7 ? OwnFact(call, number) : useless;
        }

        if (AsksOwnFact(call))
        {
            return draw < 0.8 ? OwnFact(call, number) : useless;
        }

        return draw < 0.3 ? OwnFact(call, number) : draw < 0.4 ? WrongFact(call, number) : useless;
    }

    public override string Propose(MetaPromptCall call, Random random)
    {
        var draw = random.NextDouble();
        if (call.Examples.Any(e => e.CorrectOutput.Contains("digit sum =", StringComparison.Ordinal)))
        {
            return draw < 0.45 ? "Add the digits of the number and write digit sum = N." : HiddenNoise[random.Next(HiddenNoise.Length)];
        }

        if (call.Examples.Any(e => e.CorrectOutput.Contains("first digit =", StringComparison.Ordinal)))
        {
            return draw < 0.45 ? "Read the first digit of the number and write first digit = D." : HiddenNoise[random.Next(HiddenNoise.Length)];
        }

        var outputLayer = call.Examples.Count > 0 && call.Examples.All(e => Labels.Contains(e.CorrectOutput.Trim()));
        return outputLayer ? OutputNoise[random.Next(OutputNoise.Length)] : HiddenNoise[random.Next(HiddenNoise.Length)];
    }

    /// <summary>Splits balanced over the four classes, disjoint, of four-digit numbers.</summary>
    public static (Example[] Train, Example[] Dev, Example[] Test) Splits(int perClassTrain, int perClassDev, int perClassTest, int seed = 5)
    {
        var random = new Random(seed);
        var seen = new HashSet<int>();
        Example[] Take(string split, int perClass)
        {
            var byLabel = Instance.Labels.ToDictionary(l => l, _ => new List<int>());
            while (byLabel.Values.Any(l => l.Count < perClass))
            {
                var n = random.Next(1000, 10000);
                if (seen.Add(n) && byLabel[Label(n)] is { } list && list.Count < perClass)
                {
                    list.Add(n);
                }
            }

            return Enumerable.Range(0, perClass)
                .SelectMany(i => Instance.Labels.Select(l => byLabel[l][i]))
                .Select((n, i) => new Example($"Number: {n}", Label(n)) { Source = $"{split}:{i}" })
                .ToArray();
        }

        return (Take("train", perClassTrain), Take("dev", perClassDev), Take("test", perClassTest));
    }

    public static int FirstDigit(int n) => n.ToString(CultureInfo.InvariantCulture)[0] - '0';

    private static bool AsksOwnFact(HiddenCall call)
    {
        var asksSum = call.Prompt.Contains(SumPhrase, StringComparison.OrdinalIgnoreCase);
        var asksLead = call.Prompt.Contains(LeadPhrase, StringComparison.OrdinalIgnoreCase);

        // One fact per text: a prompt that asks for both, or for the other kind of layer's fact, gets neither.
        return call.WholeView ? asksLead && !asksSum : asksSum && !asksLead;
    }

    private static string OwnFact(HiddenCall call, int number) =>
        call.WholeView ? $"first digit = {FirstDigit(number)}" : DigitSumTask.Fact(DigitSumTask.DigitSum(number));

    private static string WrongFact(HiddenCall call, int number) =>
        call.WholeView ? $"first digit = {9 - FirstDigit(number)}" : DigitSumTask.Fact(DigitSumTask.DigitSum(number) + 1);

    // The first line names the number; a later layer of a stack reads the input followed by a hidden text.
    private static int Number(string input) =>
        NumberParityTask.ParseNumber(input) ?? throw new InvalidOperationException($"No number in the input: {input}");

    /// <summary>The digit sum a text states ("digit sum = N"), if any.</summary>
    internal static int? ReadDigitSum(string text) =>
        DigitSumPattern().Match(text) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    /// <summary>The first digit a text states ("first digit = D"), if any.</summary>
    internal static int? ReadFirstDigit(string text) =>
        FirstDigitPattern().Match(text) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    [GeneratedRegex(@"digit sum = (\d+)")]
    private static partial Regex DigitSumPattern();

    [GeneratedRegex(@"first digit = (\d)")]
    private static partial Regex FirstDigitPattern();
}
