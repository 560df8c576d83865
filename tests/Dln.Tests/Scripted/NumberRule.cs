namespace DeepLanguageNetworks.Tests.Scripted;

/// <summary>A hypothesis of the number task: "yes if the number is …". Prompts state it by its key phrase.</summary>
/// <param name="Condition">The words after "yes if the number is", for example "odd".</param>
/// <param name="SaysYes">The rule itself.</param>
internal sealed record NumberRule(string Condition, Func<int, bool> SaysYes)
{
    public static NumberRule Odd { get; } = new("odd", n => n % 2 == 1);

    public static NumberRule Even { get; } = new("even", n => n % 2 == 0);

    public static NumberRule GreaterThan50 { get; } = new("greater than 50", n => n > 50);

    public static NumberRule LessThan50 { get; } = new("less than 50", n => n < 50);

    public static IReadOnlyList<NumberRule> All { get; } = [Odd, Even, GreaterThan50, LessThan50];

    /// <summary>What a prompt must contain to state this rule.</summary>
    public string KeyPhrase => $"yes if the number is {Condition}";

    /// <summary>The rules a prompt states.</summary>
    public static IReadOnlyList<NumberRule> StatedIn(string prompt) =>
        All.Where(r => prompt.Contains(r.KeyPhrase, StringComparison.OrdinalIgnoreCase)).ToArray();
}
