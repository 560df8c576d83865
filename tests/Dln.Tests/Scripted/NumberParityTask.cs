using System.Globalization;
using System.Text.RegularExpressions;

namespace DeepLanguageNetworks.Tests.Scripted;

/// <summary>
/// DLN-1 world: inputs "Number: 37", answer "yes" iff the number is odd. The forward model answers by a rule only
/// when its prompt states exactly one rule of <see cref="NumberRule.All"/> (then the rule's answer has probability
/// 0.9); otherwise it says "yes" with probability 0.6, which is 50% accuracy on balanced data. The backward model
/// reads the examples of the meta-prompt, attends to one to three of them, and proposes a rule consistent with those
/// (chosen by its seed, so wrong but consistent rules are proposed too), or a useless rewording; the trainer has to
/// find the true rule by scoring.
/// </summary>
internal sealed partial class NumberParityTask : ScriptedTask
{
    private const double RuleConfidence = 0.9;
    private const double DefaultYes = 0.6;

    private static readonly string[] RulePhrasings =
    [
        "Answer {0}, and no otherwise.",
        "Say {0}; otherwise say no.",
        "Look at the number. The answer is {0} and no if it is not.",
    ];

    private static readonly string[] UselessInstructions =
    [
        "Answer the question about the number with yes or no.",
        "Think carefully about the number, then answer.",
        "Read the number and decide.",
    ];

    public static NumberParityTask Instance { get; } = new();

    public static NumberRule TrueRule => NumberRule.Odd;

    public override IReadOnlyList<string> Labels { get; } = ["yes", "no"];

    public override IReadOnlyList<double> AnswerProbabilities(OutputCall call)
    {
        var rules = NumberRule.StatedIn(call.Prompt);
        var number = ParseNumber(call.Input) ?? throw new InvalidOperationException($"No number in the input: {call.Input}");
        var yes = rules.Count == 1 ? (rules[0].SaysYes(number) ? RuleConfidence : 1 - RuleConfidence) : DefaultYes;
        return [yes, 1 - yes];
    }

    public override string Propose(MetaPromptCall call, Random random)
    {
        var examples = call.Examples
            .Select(e => (Number: ParseNumber(e.Input), Yes: e.CorrectOutput.Trim().Equals("yes", StringComparison.OrdinalIgnoreCase)))
            .Where(e => e.Number is not null)
            .ToArray();
        if (examples.Length == 0 || random.NextDouble() < 0.2)
        {
            return UselessInstructions[random.Next(UselessInstructions.Length)];
        }

        var attended = examples.OrderBy(_ => random.Next()).Take(1 + random.Next(3)).ToArray();
        var consistent = NumberRule.All.Where(r => attended.All(e => r.SaysYes(e.Number!.Value) == e.Yes)).ToArray();
        if (consistent.Length == 0)
        {
            return UselessInstructions[random.Next(UselessInstructions.Length)];
        }

        var rule = consistent[random.Next(consistent.Length)];
        var text = string.Format(CultureInfo.InvariantCulture, RulePhrasings[random.Next(RulePhrasings.Length)], rule.KeyPhrase);
        // Like a real backward model it sometimes echoes the meta-prompt's markup; the stop sequences and the
        // proposer's cleaning must remove it.
        return random.Next(4) switch
        {
            0 => "> " + text + "\n\n## Input\n> Number: 12",
            1 => text + " [END]",
            _ => text,
        };
    }

    /// <summary>Class-balanced, disjoint train, dev and test sets over the numbers 1–99 (50 left out).</summary>
    public static (Example[] Train, Example[] Dev, Example[] Test) Splits(int seed = 1)
    {
        var random = new Random(seed);
        var odd = Enumerable.Range(1, 99).Where(n => n % 2 == 1).ToArray();
        var even = Enumerable.Range(1, 99).Where(n => n % 2 == 0 && n != 50).ToArray();
        random.Shuffle(odd);
        random.Shuffle(even);
        Example[] Take(string split, int start, int perClass) =>
            Enumerable.Range(start, perClass)
                .SelectMany(i => new[] { odd[i], even[i] })
                .Select((n, i) => new Example($"Number: {n}", TrueRule.SaysYes(n) ? "yes" : "no") { Source = $"{split}:{i}" })
                .ToArray();
        return (Take("train", 0, 17), Take("dev", 17, 16), Take("test", 33, 15));
    }

    internal static int? ParseNumber(string text)
    {
        var match = NumberPattern().Match(text);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"Number:\s*(\d+)")]
    private static partial Regex NumberPattern();
}
