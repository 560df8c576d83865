using System.Globalization;
using System.Text;

namespace DeepLanguageNetworks;

/// <summary>
/// Checks, before the first call, that each example's input fits the context window of the layers' models, where a
/// model reports its <see cref="LanguageModelCapabilities.ContextLength"/> and offers an
/// <see cref="ILanguageModelTokenizer"/>; layers whose model does neither are not checked (an overflow there costs the
/// example at run time). An input that does not fit is handled by an <see cref="OverlongInputPolicy"/>.
/// </summary>
/// <remarks>
/// <para>What is counted, per layer: the layer's template rendered with its prompt and its input (the demonstrations
/// left out, since few-shot draws change per call), plus the room for what the layer produces: its output space's
/// <see cref="OutputSpace.MaxTokens"/> when it generates, the newline and the longest spelling when it scores classes,
/// and, when training scores free-text targets by their likelihood, the newline and the target.</para>
/// <para>The first layer's input is the example's input and is checked exactly. A later layer reads the input together
/// with a hidden text written at run time (at most the previous layer's <see cref="OutputSpace.MaxTokens"/>); it is
/// checked with an empty hidden text, which catches every input that cannot fit whatever is generated. An input that
/// fits only with a short enough hidden text is kept; if a longer hidden text then overflows, that costs the example
/// of that call only.</para>
/// </remarks>
internal static class InputFitCheck
{
    private const int MaxListed = 10;

    /// <summary>Checks <paramref name="examples"/>.</summary>
    /// <param name="network">The network whose layers read the inputs.</param>
    /// <param name="examples">The examples.</param>
    /// <param name="split">The set's name for the report (<c>train</c>, <c>dev</c>, <c>test</c>).</param>
    /// <param name="policy">What to do with an input that does not fit.</param>
    /// <param name="prompts">The prompts to render with instead of the layers' own, or null.</param>
    /// <param name="scoresTargets">Whether the output layer's free-text targets are scored by teacher forcing (training with log-probabilities).</param>
    /// <returns>Per example the one to run (cut when truncated) or null when skipped, and what was found.</returns>
    /// <exception cref="ArgumentException"><paramref name="policy"/> is <see cref="OverlongInputPolicy.Fail"/> and an input does not fit.</exception>
    public static InputFit Check(Dln network, IReadOnlyList<Example> examples, string split, OverlongInputPolicy policy, IReadOnlyList<string>? prompts = null, bool scoresTargets = false)
    {
        var limits = network.Layers.Select(l => l.Model.Capabilities.ContextLength is { } context && l.Model.GetService<ILanguageModelTokenizer>() is { } tokenizer
            ? new Limit(tokenizer, context)
            : null).ToArray();
        var run = examples.ToArray<Example?>();
        if (limits.All(l => l is null))
        {
            return new InputFit(run, []);
        }

        var overlong = new List<OverlongInput>();
        for (var i = 0; i < examples.Count; i++)
        {
            var example = examples[i];
            if (FirstOverflow(network, limits, example.Input, example.Target, prompts, scoresTargets) is not { } overflow)
            {
                continue;
            }

            var found = new OverlongInput(split, i, example.Source, overflow.Layer, overflow.Tokens, overflow.ContextLength);
            Example? cut = null;
            if (policy == OverlongInputPolicy.Truncate && LongestFittingInput(network, limits, example, prompts, scoresTargets) is { } input)
            {
                cut = example with { Input = input };
                found = found with { Truncated = true };
            }

            run[i] = cut;
            overlong.Add(found);
        }

        if (policy == OverlongInputPolicy.Fail && overlong.Count > 0)
        {
            throw new ArgumentException(Describe(overlong, network) + FailAdvice);
        }

        return new InputFit(run, overlong);
    }

    /// <summary>What the message of <see cref="OverlongInputPolicy.Fail"/> advises.</summary>
    public const string FailAdvice = " Shorten them, use a model with a longer context, or choose OverlongInputPolicy.Skip (leave them out) or Truncate (cut them to fit).";

    /// <summary>How many examples cannot fit, and the first ones with their sources and token counts, as a sentence.</summary>
    public static string Describe(IReadOnlyList<OverlongInput> overlong, Dln network)
    {
        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture, $"{overlong.Count} example{(overlong.Count == 1 ? "" : "s")} cannot fit the context window: ");
        b.AppendJoin("; ", overlong.Take(MaxListed).Select(o => $"{o.Split} example {o.Index}{(o.Source is null ? "" : $" ({o.Source})")}: layer {o.Layer} " +
            $"({network.Layers[o.Layer].Model.Metadata}) needs {o.Tokens} tokens, more than its {o.ContextLength}"));
        if (overlong.Count > MaxListed)
        {
            b.Append(CultureInfo.InvariantCulture, $"; and {overlong.Count - MaxListed} more");
        }

        b.Append('.');
        return b.ToString();
    }

    private static Overflow? FirstOverflow(Dln network, Limit?[] limits, string input, string target, IReadOnlyList<string>? prompts, bool scoresTargets)
    {
        for (var l = 0; l < network.Depth; l++)
        {
            if (limits[l] is not { } limit)
            {
                continue;
            }

            var layer = network.Layers[l];
            var layerInput = network.RenderInput(l, input, NoOutputs(network));
            var tokens = limit.Tokenizer.CountTokens(layer.RenderWithoutDemonstrations(layerInput, prompts?[l])) +
                Room(layer, limit.Tokenizer, target, isOutput: l == network.Depth - 1, scoresTargets);
            if (tokens > limit.ContextLength)
            {
                return new Overflow(l, tokens, limit.ContextLength);
            }
        }

        return null;
    }

    /// <summary>Tokens the layer's output needs after its context.</summary>
    private static int Room(LanguageLayer layer, ILanguageModelTokenizer tokenizer, string target, bool isOutput, bool scoresTargets)
    {
        var space = layer.OutputSpace;
        if (space.IsClassification && layer.Model.Capabilities.Supports(layer.ClassScoringOperation))
        {
            // A newline, then one token, or each spelling scored whole (the count may include a beginning-of-sequence
            // token: one token of margin).
            return layer.EffectiveClassScoring == ClassScoring.Continuation
                ? 1 + space.Classes.SelectMany(c => c.Verbalizers).Max(tokenizer.CountTokens)
                : 2;
        }

        var room = space.MaxTokens;
        if (isOutput && scoresTargets && !space.IsClassification)
        {
            room = Math.Max(room, 1 + tokenizer.CountTokens(target));
        }

        return room;
    }

    /// <summary>The longest beginning of the input with which every checked layer fits, or null when not even a non-blank one does.</summary>
    private static string? LongestFittingInput(Dln network, Limit?[] limits, Example example, IReadOnlyList<string>? prompts, bool scoresTargets)
    {
        var input = example.Input;
        bool Fits(int length) => FirstOverflow(network, limits, Prefix(input, length), example.Target, prompts, scoresTargets) is null;

        // Token counts grow with the prefix: find the longest length that fits.
        int low = 0, high = input.Length;
        if (!Fits(0))
        {
            return null;
        }

        while (low < high)
        {
            var middle = low + ((high - low + 1) / 2);
            if (Fits(middle))
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        var cut = Prefix(input, low).TrimEnd();
        return cut.Length == 0 || !Fits(cut.Length) ? null : cut;
    }

    // Every hidden text empty: the shortest input a later layer can read.
    private static string?[] NoOutputs(Dln network) => new string?[network.Depth];

    // Never between the two halves of a surrogate pair.
    private static string Prefix(string text, int length) =>
        length > 0 && length < text.Length && char.IsHighSurrogate(text[length - 1]) ? text[..(length - 1)] : text[..length];

    private sealed record Limit(ILanguageModelTokenizer Tokenizer, int ContextLength);

    private readonly record struct Overflow(int Layer, int Tokens, int ContextLength);
}

/// <summary>What <see cref="InputFitCheck"/> found in one set of examples.</summary>
/// <param name="Examples">Per example (same positions), the example to run (its input cut when truncated), or null when it is skipped.</param>
/// <param name="Overlong">The examples that did not fit, in order.</param>
internal sealed record InputFit(Example?[] Examples, IReadOnlyList<OverlongInput> Overlong)
{
    /// <summary>The examples to run, in order.</summary>
    public IReadOnlyList<Example> Kept => Examples.OfType<Example>().ToArray();
}
