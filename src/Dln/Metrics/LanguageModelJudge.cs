using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace DeepLanguageNetworks;

/// <summary>
/// An LLM as judge: a metric that asks a language model to rate an output from 1 to
/// <see cref="LanguageModelJudgeOptions.MaxRating"/> against the example's correct output (and your criteria), and
/// scores it (rating − 1) / (MaxRating − 1); its reason is the feedback. Made by <see cref="Metrics.Judge"/>; the
/// Dln.Extensions.AI package makes one from an <c>IChatClient</c> and offers it as an <c>IEvaluator</c>.
/// </summary>
/// <remarks>
/// <para>Each grading is one generation at temperature 0 with no seed, whose prompt depends only on the example, the
/// output and the options, so repeated gradings are identical requests that a call cache answers; the calls carry
/// <see cref="CallRole.Judge"/>. In training, the trainer routes them through the run's pipeline around the judge's
/// model (usage, budgets, cache, concurrency limit), as it does the layers' calls.</para>
/// <para>The reply is read leniently: a line <c>Rating: 4</c> (the asked-for form), else the first number in the reply
/// that lies on the scale; ratings outside the scale are clamped to it. A reply without a rating scores 0 and says so
/// in the feedback, rather than failing the run (a deterministic judge would fail the same way on every retry).</para>
/// <para>The texts are quoted into the prompt as data: braces and placeholders in them are never expanded.</para>
/// </remarks>
public sealed partial class LanguageModelJudge : IMetric, IModelBackedMetric
{
    /// <summary>The version of the grading prompt's wording, recorded in <see cref="Settings"/>.</summary>
    private const string PromptVersion = "1";

    /// <summary>Creates a judge.</summary>
    /// <param name="model">The model that grades.</param>
    /// <param name="options">How it grades; the defaults rate 1–5 for correctness.</param>
    public LanguageModelJudge(ILanguageModel model, LanguageModelJudgeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        Options = options ?? new LanguageModelJudgeOptions();
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["model"] = model.Metadata.ModelId,
            ["maxRating"] = Options.MaxRating.ToString(CultureInfo.InvariantCulture),
            ["showsCorrectOutput"] = Options.ShowsCorrectOutput ? "true" : "false",
            ["prompt"] = PromptVersion,
        };
        if (Options.Criteria is { } criteria)
        {
            settings["criteria"] = criteria;
        }

        Settings = settings;
    }

    /// <summary>The model that grades.</summary>
    public ILanguageModel Model { get; }

    /// <summary>How it grades.</summary>
    public LanguageModelJudgeOptions Options { get; }

    /// <inheritdoc />
    public string Name => Options.Name;

    /// <inheritdoc />
    /// <remarks>The judge's model id, the scale, the criteria and the prompt's version: a run resumes only with the same judge.</remarks>
    public IReadOnlyDictionary<string, string> Settings { get; }

    IReadOnlyList<ILanguageModel> IModelBackedMetric.Models => [Model];

    // One generation per grading (JudgeAsync).
    int IModelBackedMetric.CallsPerScore => 1;

    /// <summary>The grading prompt for <paramref name="output"/> as the answer to <paramref name="example"/>.</summary>
    /// <param name="example">The example.</param>
    /// <param name="output">The output to grade.</param>
    /// <returns>The prompt sent to the judge's model.</returns>
    public string BuildPrompt(Example example, string output)
    {
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(output);
        var max = Options.MaxRating.ToString(CultureInfo.InvariantCulture);
        var b = new StringBuilder();
        b.Append("You grade the work of a student model. Below are a task input");
        b.Append(Options.ShowsCorrectOutput ? ", the correct output for it, and the student's output. " : " and the student's output. ");
        b.Append(Options.ShowsCorrectOutput
            ? "Rate how well the student's output agrees with the correct output: the same answer in other words is fully correct; a missing, extra or wrong part lowers the rating."
            : "Rate how well the student's output answers the input.");
        b.Append('\n');
        b.Append("Use a whole number from 1 (wrong, empty, or unrelated to the input) to ").Append(max).Append(" (fully correct).\n");
        if (Options.Criteria is { } criteria && criteria.Trim().Length > 0)
        {
            b.Append("Also hold the output to these criteria:\n");
            Quote(b, criteria);
        }

        b.Append("\n## Input\n");
        Quote(b, example.Input);
        if (Options.ShowsCorrectOutput)
        {
            b.Append("## Correct output\n");
            Quote(b, example.Target);
        }

        b.Append("## Student output\n");
        Quote(b, output);
        b.Append("\nReply with exactly two lines:\n");
        b.Append("Rating: <a whole number from 1 to ").Append(max).Append(">\n");
        b.Append("Reason: <one sentence on what is right or wrong in the student's output>\n");
        return b.ToString();
    }

    /// <summary>Asks the judge's model to grade <paramref name="output"/>.</summary>
    /// <param name="example">The example.</param>
    /// <param name="output">The output to grade.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The rating, the score it maps to, and the reason.</returns>
    public async Task<JudgeVerdict> JudgeAsync(Example example, string output, CancellationToken cancellationToken = default)
    {
        var request = new GenerationRequest(BuildPrompt(example, output))
        {
            Temperature = 0,
            MaxTokens = Options.MaxTokens,
            Purpose = new CallPurpose(CallRole.Judge),
        };
        var response = await Model.GenerateAsync(request, cancellationToken).ConfigureAwait(false);
        return ReadReply(response.Text, Options.MaxRating);
    }

    /// <inheritdoc />
    public async ValueTask<MetricScore> ScoreAsync(Example example, string output, CancellationToken cancellationToken = default)
    {
        var verdict = await JudgeAsync(example, output, cancellationToken).ConfigureAwait(false);
        return new MetricScore(verdict.Score, verdict.Reason);
    }

    IMetric IModelBackedMetric.WithModels(Func<ILanguageModel, ILanguageModel> decorate) => new LanguageModelJudge(decorate(Model), Options);

    /// <summary>Reads a judge's reply (see the remarks of <see cref="LanguageModelJudge"/>).</summary>
    internal static JudgeVerdict ReadReply(string reply, int maxRating)
    {
        var text = reply.Trim();
        double? rating = null;
        var labelled = RatingLine().Match(text);
        if (labelled.Success)
        {
            rating = Parse(labelled.Groups["rating"].Value);
        }
        else
        {
            foreach (Match number in AnyNumber().Matches(text))
            {
                if (Parse(number.Value) is { } value && value >= 1 && value <= maxRating)
                {
                    rating = value;
                    break;
                }
            }
        }

        if (rating is not { } r)
        {
            var shown = text.Length == 0 ? "an empty reply" : $"\"{Shorten(text, 300)}\"";
            return new JudgeVerdict(null, 0, $"The judge's reply has no rating: {shown}.", reply);
        }

        r = Math.Clamp(r, 1, maxRating);
        var reasonMatch = ReasonLine().Match(text);
        var reason = reasonMatch.Success
            ? reasonMatch.Groups["reason"].Value.Trim()
            : (labelled.Success ? text.Remove(labelled.Index, labelled.Length) : text).Trim();
        if (reason.Length == 0)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"The judge rated the output {r} of {maxRating} without a reason.");
        }

        return new JudgeVerdict(r, (r - 1) / (maxRating - 1), Shorten(reason, 1000), reply);
    }

    private static double? Parse(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && double.IsFinite(r) ? r : null;

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..length] + "…";

    private static void Quote(StringBuilder b, string text)
    {
        foreach (var line in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            b.Append("> ").Append(line).Append('\n');
        }
    }

    [GeneratedRegex(@"rating\W{0,3}(?<rating>\d+(?:\.\d+)?)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RatingLine();

    [GeneratedRegex(@"reason\s*:\s*(?<reason>.+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex ReasonLine();

    [GeneratedRegex(@"(?<![\d.])\d+(?:\.\d+)?")]
    private static partial Regex AnyNumber();
}
