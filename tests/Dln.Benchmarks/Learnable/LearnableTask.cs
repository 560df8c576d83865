using System.Globalization;

namespace DeepLanguageNetworks.Benchmarks.Learnable;

/// <summary>
/// The task of <see cref="LearnableWorldModel"/>: decide whether a case is accepted. A case is an item of one of ten
/// kinds with a weight and two codes, for example <c>Case 17: a coin item, weight 62, codes 4 and 7.</c>; each kind
/// has its own rule. Eight kinds are decided by the weight (one condition a prompt can state); the two others by the
/// sum of the codes, which the output model cannot compute: it applies their rule only when the text it reads states
/// the sum (a hidden step wrote it). So DLN-1 can learn up to about 90% accuracy and DLN-2 close to 100%.
/// </summary>
/// <remarks>
/// Each kind has one rule sentence that is right and two that are wrong (a plausible but different condition). A
/// prompt is read sentence by sentence: what matters is which rule sentences it holds; any other sentence is ignored.
/// </remarks>
internal static class LearnableTask
{
    /// <summary>The initial prompt of the output layer: no rule at all.</summary>
    public const string InitialInstruction = "Decide whether the case is accepted. Answer yes or no.";

    /// <summary>The hidden-layer sentence that makes it write the sum of the codes.</summary>
    public const string SumInstruction = "Add the two codes and state their sum.";

    public static IReadOnlyList<Kind> Kinds { get; } =
    [
        new("fruit", NeedsSum: false, c => c.Weight > 50, "the weight is above 50", [(c => c.Weight < 50, "the weight is below 50"), (c => c.Weight % 2 == 0, "the weight is even")]),
        new("metal", NeedsSum: false, c => c.Weight < 40, "the weight is below 40", [(c => c.Weight > 40, "the weight is above 40"), (c => c.Weight < 70, "the weight is below 70")]),
        new("glass", NeedsSum: false, c => c.Weight % 2 == 1, "the weight is odd", [(c => c.Weight % 2 == 0, "the weight is even"), (c => c.Weight > 50, "the weight is above 50")]),
        new("paper", NeedsSum: false, c => c.Weight > 30, "the weight is above 30", [(c => c.Weight > 70, "the weight is above 70"), (c => c.Weight < 30, "the weight is below 30")]),
        new("stone", NeedsSum: false, c => c.Weight < 60, "the weight is below 60", [(c => c.Weight > 60, "the weight is above 60"), (c => c.Weight < 20, "the weight is below 20")]),
        new("cloth", NeedsSum: false, c => c.Weight % 3 == 0, "the weight is a multiple of 3", [(c => c.Weight % 2 == 0, "the weight is even"), (c => c.Weight % 5 == 0, "the weight is a multiple of 5")]),
        new("wood", NeedsSum: false, c => c.Weight > 20 && c.Weight < 80, "the weight is between 20 and 80", [(c => c.Weight > 50, "the weight is above 50"), (c => c.Weight < 20 || c.Weight > 80, "the weight is below 20 or above 80")]),
        new("shell", NeedsSum: false, c => c.Weight > 45, "the weight is above 45", [(c => c.Weight < 45, "the weight is below 45"), (c => c.Weight % 2 == 1, "the weight is odd")]),
        new("coin", NeedsSum: true, c => (c.A + c.B) % 2 == 1, "the two codes add up to an odd number", [(c => (c.A + c.B) % 2 == 0, "the two codes add up to an even number"), (c => c.A + c.B > 10, "the two codes add up to more than 10")]),
        new("card", NeedsSum: true, c => c.A + c.B > 9, "the two codes add up to more than 9", [(c => c.A + c.B < 9, "the two codes add up to less than 9"), (c => (c.A + c.B) % 2 == 1, "the two codes add up to an odd number")]),
    ];

    /// <summary>Every rule sentence, right and wrong, with its kind.</summary>
    public static IReadOnlyDictionary<string, (int Kind, int Variant)> RuleSentences { get; } = BuildRuleSentences();

    /// <summary>The rule sentence of <paramref name="kind"/>: variant 0 is right, 1 and 2 are wrong.</summary>
    public static string Rule(int kind, int variant)
    {
        var k = Kinds[kind];
        var condition = variant == 0 ? k.Condition : k.WrongRules[variant - 1].Condition;
        return $"For {k.Cue} items, answer yes only when {condition}.";
    }

    /// <summary>What rule <paramref name="variant"/> of <paramref name="kind"/> answers for <paramref name="c"/> (given the sum it reads, for the kinds decided by the sum).</summary>
    public static bool Applies(int kind, int variant, Case c) =>
        variant == 0 ? Kinds[kind].IsYes(c) : Kinds[kind].WrongRules[variant - 1].IsYes(c);

    public static string Input(Case c) => string.Create(CultureInfo.InvariantCulture, $"Case {c.Id}: a {Kinds[c.Kind].Cue} item, weight {c.Weight}, codes {c.A} and {c.B}.");

    /// <summary>
    /// Cases with ids from <paramref name="firstId"/>, the kinds in turn and each kind's answers balanced, drawn from
    /// <paramref name="seed"/>.
    /// </summary>
    public static Case[] Cases(int firstId, int count, int seed)
    {
        var random = new Random(seed);
        var cases = new Case[count];
        for (var i = 0; i < count; i++)
        {
            var kind = i % Kinds.Count;
            var wantYes = (i / Kinds.Count) % 2 == 0;
            Case c;
            do
            {
                c = new Case(firstId + i, kind, random.Next(1, 100), random.Next(0, 10), random.Next(0, 10));
            }
            while (Kinds[kind].IsYes(c) != wantYes);
            cases[i] = c;
        }

        random.Shuffle(cases);
        return cases;
    }

    public static Example ToExample(Case c) => new(Input(c), Kinds[c.Kind].IsYes(c) ? "yes" : "no");

    private static Dictionary<string, (int, int)> BuildRuleSentences()
    {
        var sentences = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        for (var k = 0; k < Kinds.Count; k++)
        {
            for (var v = 0; v < 3; v++)
            {
                sentences[Rule(k, v)] = (k, v);
            }
        }

        return sentences;
    }

    /// <summary>A kind of item: its cue word, whether its rule needs the sum of the codes, its right rule and two wrong ones.</summary>
    internal sealed record Kind(string Cue, bool NeedsSum, Func<Case, bool> IsYes, string Condition, (Func<Case, bool> IsYes, string Condition)[] WrongRules);

    /// <summary>One case.</summary>
    internal sealed record Case(int Id, int Kind, int Weight, int A, int B);
}
