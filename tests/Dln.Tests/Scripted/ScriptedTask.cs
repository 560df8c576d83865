namespace DeepLanguageNetworks.Tests.Scripted;

/// <summary>
/// The behaviour of a scripted world on one task: what the frozen model answers on each kind of call. Every method
/// is a pure function of its arguments (randomness only through the <see cref="Random"/> the world derives from the
/// request's seed and sample index), so the world is deterministic and safe for concurrent calls.
/// </summary>
internal abstract class ScriptedTask
{
    /// <summary>The class labels, in the order the output layer lists them.</summary>
    public abstract IReadOnlyList<string> Labels { get; }

    /// <summary>P(label) for an output-layer call; the values sum to 1.</summary>
    public abstract IReadOnlyList<double> AnswerProbabilities(OutputCall call);

    /// <summary>The greedy (temperature 0) hidden text of a hidden-layer call.</summary>
    public virtual string Think(HiddenCall call) =>
        throw new InvalidOperationException($"{GetType().Name} has no hidden layer, but it was asked to think about: {call.Input}");

    /// <summary>The per-token log-probability of <paramref name="thought"/> written after a hidden-layer call (teacher forcing).</summary>
    public virtual double ThoughtLogProbability(HiddenCall call, string thought) =>
        throw new InvalidOperationException($"{GetType().Name} has no hidden layer, but it was asked to score a thought about: {call.Input}");

    /// <summary>A hidden text sampled at a temperature above 0 (a posterior sample), possibly with the hint.</summary>
    public virtual string SampleThought(HiddenCall call, Random random) =>
        throw new InvalidOperationException($"{GetType().Name} has no hidden layer, but it was asked to sample a thought about: {call.Input}");

    /// <summary>The backward model's raw text for a meta-prompt (before stop sequences are applied).</summary>
    public abstract string Propose(MetaPromptCall call, Random random);

    /// <summary>
    /// What the output layer generates (temperature 0): by default the greedy class, capitalised and with a full stop,
    /// as a chat model rarely writes the label exactly; a free-text task writes its own answer.
    /// </summary>
    public virtual string Answer(OutputCall call)
    {
        var label = GreedyAnswer(call);
        return char.ToUpperInvariant(label[0]) + label[1..] + ".";
    }

    /// <summary>The class the greedy output layer writes.</summary>
    public string GreedyAnswer(OutputCall call)
    {
        var p = AnswerProbabilities(call);
        var best = 0;
        for (var i = 1; i < p.Count; i++)
        {
            if (p[i] > p[best])
            {
                best = i;
            }
        }

        return Labels[best];
    }
}
