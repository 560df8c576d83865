namespace DeepLanguageNetworks.Tests.Scripted;

/// <summary>
/// A world where log-likelihood and accuracy disagree. Inputs "Number: n", answer "yes" iff n is odd. Under the initial
/// prompt the model leans to the wrong class on every input (p(right) = 0.4: accuracy 0). The backward model proposes
/// two prompts: <see cref="Hedging"/> raises p(right) to 0.45 everywhere (still always wrong, accuracy 0, but a higher
/// mean log-likelihood, −0.80 against −0.92), and <see cref="Decisive"/> is sure and right on the numbers with n mod 5
/// below 3 (p(right) = 0.95) and sure and wrong on the others (p(right) = 0.01): accuracy about 0.6, mean
/// log-likelihood about −1.9. Scoring by log-probabilities picks the hedging prompt; scoring by the metric picks the
/// decisive one.
/// </summary>
internal sealed class ConfidentOrRightTask : ScriptedTask
{
    public const string Hedging = "Answer yes or no, and hedge a little.";
    public const string Decisive = "Answer decisively by the number's last digits.";

    public static ConfidentOrRightTask Instance { get; } = new();

    public override IReadOnlyList<string> Labels { get; } = ["yes", "no"];

    public override IReadOnlyList<double> AnswerProbabilities(OutputCall call)
    {
        var n = NumberParityTask.ParseNumber(call.Input) ?? throw new InvalidOperationException($"No number in the input: {call.Input}");
        var odd = n % 2 == 1;
        var right = call.Prompt == Hedging ? 0.45 : call.Prompt == Decisive ? (n % 5 < 3 ? 0.95 : 0.01) : 0.4;
        var yes = odd ? right : 1 - right;
        return [yes, 1 - yes];
    }

    // One proposal per edit instruction: the first asks for the hedging prompt, the second for the decisive one.
    public override string Propose(MetaPromptCall call, Random random) =>
        call.EditInstruction == MetaPrompt.EditInstruction(0) ? Hedging : Decisive;
}
