namespace DeepLanguageNetworks.LlamaSharp;

/// <summary>
/// A request answered from the logits of a known token sequence (teacher forcing): it needs the logits at a range of
/// positions of <see cref="Tokens"/> and nothing is sampled, so it can share a decode call with other such requests.
/// </summary>
internal abstract class ScoringJob : WorkItem
{
    /// <summary>The sequence to evaluate, beginning-of-sequence token included. Set by <see cref="Prepare"/>.</summary>
    public int[] Tokens { get; protected set; } = [];

    /// <summary>The first position whose logits are needed.</summary>
    public int FirstLogitPosition { get; protected set; }

    /// <summary>The last position whose logits are needed; below <see cref="FirstLogitPosition"/> when none are.</summary>
    public int LastLogitPosition { get; protected set; } = -1;

    /// <summary>Whether any logits are needed at all (an empty continuation needs none).</summary>
    public bool NeedsDecode => LastLogitPosition >= FirstLogitPosition;

    /// <summary>Whether this job needs the logits at <paramref name="position"/>.</summary>
    /// <param name="position">A position in <see cref="Tokens"/>.</param>
    /// <returns><see langword="true"/> when <see cref="AcceptLogits"/> must be called for it.</returns>
    public bool NeedsLogitsAt(int position) => position >= FirstLogitPosition && position <= LastLogitPosition;

    /// <summary>Tokenizes the request and checks it fits the context window. Runs on the inference loop.</summary>
    /// <param name="engine">The engine (tokenizer and limits).</param>
    /// <exception cref="LanguageModelException">The request does not fit the context window (<see cref="LanguageModelErrorKind.ContextLengthExceeded"/>).</exception>
    /// <exception cref="ArgumentException">The request cannot be scored (nothing to condition on).</exception>
    public abstract void Prepare(LlamaEngine engine);

    /// <summary>Receives the logits predicting the token after <paramref name="position"/>.</summary>
    /// <param name="position">The position whose output the logits are.</param>
    /// <param name="logits">The raw logits, one per vocabulary entry; only valid during the call.</param>
    /// <param name="engine">The engine, for token texts.</param>
    public abstract void AcceptLogits(int position, ReadOnlySpan<float> logits, LlamaEngine engine);

    /// <summary>Completes the caller's task once every needed position has been received.</summary>
    /// <param name="engine">The engine, for token texts.</param>
    public abstract void Complete(LlamaEngine engine);
}

/// <summary>A <see cref="ScoringJob"/> whose caller awaits a <typeparamref name="TResult"/>.</summary>
/// <typeparam name="TResult">The response type.</typeparam>
internal abstract class ScoringJob<TResult>(CancellationToken cancellationToken) : ScoringJob
{
    private readonly CallerCompletion<TResult> _completion = new(cancellationToken);

    /// <summary>The task handed to the caller.</summary>
    public Task<TResult> Task => _completion.Task;

    /// <inheritdoc />
    public override bool IsCompleted => _completion.Task.IsCompleted;

    /// <inheritdoc />
    public override CancellationToken CancellationToken => _completion.CancellationToken;

    /// <inheritdoc />
    public override void Fail(Exception exception) => _completion.Fail(exception);

    /// <inheritdoc />
    public override void Cancel() => _completion.Cancel();

    /// <summary>Completes the caller's task with a result.</summary>
    /// <param name="result">The response.</param>
    protected void Succeed(TResult result) => _completion.Succeed(result);
}
