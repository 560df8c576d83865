using System.Globalization;
using System.Text.RegularExpressions;

namespace DeepLanguageNetworks.Tests.Scripted;

/// <summary>
/// Multi-step world: inputs "Number: 4817", answer "yes" iff the digit sum is odd. The output model cannot add digits:
/// whatever its prompt says, it answers from the text it reads — a line "digit sum = N" (two steps) or
/// "parity: odd|even" (three steps) — with probability 0.9, and otherwise says "yes" with probability 0.6 (50% on
/// balanced data). So the answer is reachable only through good hidden steps:
/// <list type="bullet">
/// <item>Layer 0 writes "digit sum = N" only when its prompt asks to "add the digits"; otherwise a useless remark.</item>
/// <item>(Three steps) Layer 1 writes "parity: odd|even" only when its prompt asks for "the parity of the digit sum"
/// and its input contains the digit sum.</item>
/// </list>
/// Teacher forcing rewards the texts a prompt asks for (mean log-probability −0.2 per token) and finds the other
/// texts unlikely; without such a prompt, useless remarks are a little more likely than facts. Posterior samples
/// (the backward model at temperature &gt; 0) write the right fact more often with the hint, sometimes a wrong digit
/// sum without it. The backward model proposes the useful instruction for a hidden layer only when the meta-prompt's
/// correct outputs show the fact, and noise otherwise.
/// </summary>
internal sealed partial class DigitSumTask : ScriptedTask
{
    public const string AddDigitsPhrase = "add the digits";
    public const string ParityPhrase = "parity of the digit sum";

    /// <summary>Texts that state no fact (also the other scripted tasks' useless hidden texts).</summary>
    internal static readonly string[] UselessThoughts =
    [
        "The number has four digits.",
        "It is a large number.",
        "Let me look at the number again.",
    ];

    /// <summary>Hidden-layer instructions that ask for no useful step (also the other scripted tasks' noise).</summary>
    internal static readonly string[] HiddenNoise =
    [
        "Think about the number step by step.",
        "Count the digits of the number.",
        "Multiply the digits of the number.",
        "Describe the number in words.",
    ];

    private static readonly string[] OutputNoise =
    [
        "Answer yes if the digit sum is odd, and no otherwise.",
        "Answer the question with yes or no.",
        "Read the reasoning, then decide.",
    ];

    public const string OutputPhrase = "digit sum";

    private DigitSumTask(int steps, bool outputNeedsInstruction = false)
    {
        Steps = steps;
        OutputNeedsInstruction = outputNeedsInstruction;
    }

    /// <summary>One hidden layer writes the digit sum; the output layer reads it.</summary>
    public static DigitSumTask TwoStep { get; } = new(2);

    /// <summary>
    /// Like <see cref="TwoStep"/>, but the output layer uses the digit sum only when its prompt mentions the
    /// "digit sum": both prompts must be learned together.
    /// </summary>
    public static DigitSumTask TwoStepJoint { get; } = new(2, outputNeedsInstruction: true);

    /// <summary>Layer 0 writes the digit sum, layer 1 its parity; the output layer reads the parity.</summary>
    public static DigitSumTask ThreeStep { get; } = new(3);

    public int Steps { get; }

    public bool OutputNeedsInstruction { get; }

    public override IReadOnlyList<string> Labels { get; } = ["yes", "no"];

    public override IReadOnlyList<double> AnswerProbabilities(OutputCall call)
    {
        bool? odd = null;
        if (OutputNeedsInstruction && !Asks(call.Prompt, OutputPhrase))
        {
            odd = null;
        }
        else if (Steps == 2 && ReadDigitSum(call.Input) is { } sum)
        {
            odd = sum % 2 == 1;
        }
        else if (Steps == 3 && ReadParity(call.Input) is { } parity)
        {
            odd = parity == "odd";
        }

        var yes = odd switch { true => 0.9, false => 0.1, null => 0.6 };
        return [yes, 1 - yes];
    }

    public override string Think(HiddenCall call)
    {
        var number = Number(call.Input);
        if (IsFirstLayer(call))
        {
            return Asks(call.Prompt, AddDigitsPhrase) ? Fact(DigitSum(number)) : UselessThoughts[0];
        }

        if (!Asks(call.Prompt, ParityPhrase))
        {
            return UselessThoughts[1];
        }

        return ReadDigitSum(call.Input) is { } sum ? ParityLine(sum % 2 == 1) : "I cannot tell the parity.";
    }

    public override double ThoughtLogProbability(HiddenCall call, string thought)
    {
        var number = Number(call.Input);
        if (IsFirstLayer(call))
        {
            var written = ReadDigitSum(thought);
            if (!Asks(call.Prompt, AddDigitsPhrase))
            {
                return written is null ? -1.2 : -1.5;
            }

            return written is null ? -2.5 : written == DigitSum(number) ? -0.2 : -2.0;
        }

        var parity = ReadParity(thought);
        if (!Asks(call.Prompt, ParityPhrase))
        {
            return parity is null ? -1.2 : -1.5;
        }

        if (parity is null)
        {
            return -2.0;
        }

        // With the digit sum in its input the layer knows the parity; without it, any parity is a guess.
        return ReadDigitSum(call.Input) is { } sum ? (parity == (sum % 2 == 1 ? "odd" : "even") ? -0.2 : -3.0) : -0.8;
    }

    public override string SampleThought(HiddenCall call, Random random)
    {
        var number = Number(call.Input);
        var useless = UselessThoughts[random.Next(UselessThoughts.Length)];
        var draw = random.NextDouble();
        if (IsFirstLayer(call))
        {
            var sum = DigitSum(number);
            if (call.Hint is not null)
            {
                return draw < 0.7 ? Fact(sum) : useless;
            }

            if (Asks(call.Prompt, AddDigitsPhrase))
            {
                return draw < 0.8 ? Fact(sum) : useless;
            }

            return draw < 0.3 ? Fact(sum) : draw < 0.4 ? Fact(sum + 1) : useless;
        }

        if (call.Hint is { } hint)
        {
            return draw < 0.7 ? ParityLine(hint.Trim() == "yes") : useless;
        }

        if (ReadDigitSum(call.Input) is { } written)
        {
            return draw < (Asks(call.Prompt, ParityPhrase) ? 0.8 : 0.4) ? ParityLine(written % 2 == 1) : useless;
        }

        return draw < 0.3 ? ParityLine(random.Next(2) == 0) : useless;
    }

    public override string Propose(MetaPromptCall call, Random random)
    {
        var draw = random.NextDouble();
        if (call.Examples.Any(e => e.CorrectOutput.Contains("digit sum =", StringComparison.Ordinal)))
        {
            return draw < 0.45
                ? (random.Next(2) == 0 ? "Add the digits of the number and write digit sum = N." : "First add the digits of the number, then write: digit sum = N.")
                : HiddenNoise[random.Next(HiddenNoise.Length)];
        }

        if (call.Examples.Any(e => e.CorrectOutput.StartsWith("parity:", StringComparison.Ordinal)))
        {
            return draw < 0.45 ? "State the parity of the digit sum as parity: odd or parity: even." : HiddenNoise[random.Next(HiddenNoise.Length)];
        }

        var outputLayer = call.Examples.Count > 0 && call.Examples.All(e => Labels.Contains(e.CorrectOutput.Trim()));
        return outputLayer ? OutputNoise[random.Next(OutputNoise.Length)] : HiddenNoise[random.Next(HiddenNoise.Length)];
    }

    /// <summary>Class-balanced (by digit-sum parity), disjoint splits of four-digit numbers.</summary>
    public static (Example[] Train, Example[] Dev, Example[] Test) Splits(int perClassTrain, int perClassDev, int perClassTest, int seed = 3)
    {
        var random = new Random(seed);
        var seen = new HashSet<int>();
        Example[] Take(string split, int perClass)
        {
            var odd = new List<int>();
            var even = new List<int>();
            while (odd.Count < perClass || even.Count < perClass)
            {
                var n = random.Next(1000, 10000);
                if (!seen.Add(n))
                {
                    continue;
                }

                var list = DigitSum(n) % 2 == 1 ? odd : even;
                if (list.Count < perClass)
                {
                    list.Add(n);
                }
            }

            return odd.Zip(even).SelectMany(p => new[] { p.First, p.Second })
                .Select((n, i) => new Example($"Number: {n}", DigitSum(n) % 2 == 1 ? "yes" : "no") { Source = $"{split}:{i}" })
                .ToArray();
        }

        return (Take("train", perClassTrain), Take("dev", perClassDev), Take("test", perClassTest));
    }

    public static int DigitSum(int n) => n.ToString(CultureInfo.InvariantCulture).Sum(c => c - '0');

    public static string Fact(int sum) => $"digit sum = {sum}";

    private static string ParityLine(bool odd) => odd ? "parity: odd" : "parity: even";

    private static bool Asks(string prompt, string phrase) => prompt.Contains(phrase, StringComparison.OrdinalIgnoreCase);

    // Layer 0 reads the bare input; layer 1 (three steps) reads the input, the residual header and layer 0's text.
    private bool IsFirstLayer(HiddenCall call) => Steps == 2 || !call.Input.Contains(ContextParser.ResidualHeader, StringComparison.Ordinal);

    private static int Number(string input) =>
        NumberParityTask.ParseNumber(input) ?? throw new InvalidOperationException($"No number in the input: {input}");

    private static int? ReadDigitSum(string text)
    {
        var match = DigitSumPattern().Match(text);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    private static string? ReadParity(string text)
    {
        var match = ParityPattern().Match(text);
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex(@"digit sum = (\d+)")]
    private static partial Regex DigitSumPattern();

    [GeneratedRegex(@"parity: (odd|even)")]
    private static partial Regex ParityPattern();
}
