namespace DeepLanguageNetworks;

/// <summary>
/// A projection of a training run's backend calls and tokens, made before it starts (a dry run: no call is made).
/// </summary>
/// <remarks>
/// Calls follow the trainer's schedule under these assumptions: no update is skipped because a whole batch was right,
/// proposals are distinct, from the first validation on the memory adds <c>MemorySize − 1</c> candidates, and with a
/// cache (the one the trainer adds, or one already in the layers' pipelines) the cache answers exactly the scores the
/// trainer asks twice by construction (the current prompt's scores, already computed by the forward pass and the
/// posterior weights) and nothing else (a persistent cache filled by an earlier run lowers the real figures further).
/// Tokens are rougher: input tokens are estimated at 4 characters per token from the rendered prompts of the given
/// examples, and each generation is assumed to use half of its token limit.
/// </remarks>
public sealed record TrainingEstimate
{
    /// <summary>Calls per role (forward, backward, scoring, evaluation; judge with an LLM-judge metric).</summary>
    public required IReadOnlyDictionary<CallRole, long> CallsByRole { get; init; }

    /// <summary>All calls.</summary>
    public long Calls => CallsByRole.Values.Sum();

    /// <summary>Estimated input tokens.</summary>
    public required long InputTokens { get; init; }

    /// <summary>Estimated output tokens.</summary>
    public required long OutputTokens { get; init; }

    /// <summary>Estimated tokens in all.</summary>
    public long Tokens => InputTokens + OutputTokens;

    /// <summary>Calls of one training iteration (validations excluded).</summary>
    public required long CallsPerIteration { get; init; }

    /// <summary>Dev-set validations of the run.</summary>
    public required int Validations { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Calls:N0} calls ({string.Join(", ", CallsByRole.Where(kv => kv.Value > 0).Select(kv => $"{kv.Key.ToString().ToLowerInvariant()} {kv.Value:N0}"))}), ~{Tokens:N0} tokens";
}
