using DeepLanguageNetworks;

/// <summary>One task of the sample: a JSON Lines file of our own, how to read it, and what a good answer is.</summary>
/// <param name="Name">The task's name in the output.</param>
/// <param name="File">The data file's name in the data folder.</param>
/// <param name="Fields">Which fields are the input and the target.</param>
/// <param name="OutputSpace">Classes, or free text.</param>
/// <param name="Instruction">The prompt training starts from.</param>
/// <param name="Metric">What a good answer is.</param>
internal sealed record CustomTask(string Name, string File, ExampleFields Fields, OutputSpace OutputSpace, string Instruction, IMetric Metric)
{
    /// <summary>The two tasks: routing support tickets to a team (classes), and reading the total paid from an order message (a number).</summary>
    public static IReadOnlyList<CustomTask> All { get; } =
    [
        new(
            "tickets",
            "tickets.jsonl",
            ExampleFields.FromTemplate("Subject: {subject}\n{body}", target: "team"),
            OutputSpace.FromClasses("billing|Billing", "account|Account", "delivery|Delivery", "technical|Technical"),
            "Which team should handle this support ticket: billing, account, delivery or technical?",
            Metrics.ExactMatch),
        new(
            "orders",
            "orders.jsonl",
            new ExampleFields("message", "total"),
            OutputSpace.FreeText(maxTokens: 12),
            "How much did the customer pay in total? Answer with the amount only.",

            // Within 1 % is right; further off earns 1 minus the relative error, so a near miss beats a wrong number.
            Metrics.Numeric(new NumericMatchOptions { RelativeTolerance = 0.01, PartialCredit = true })),
    ];
}
