namespace DeepLanguageNetworks.LlamaSharp;

/// <summary>A queued generation request. Generation samples token after token, so it has the context to itself.</summary>
internal sealed class GenerationJob(GenerationRequest request, CancellationToken cancellationToken, Action<string>? onText = null) : WorkItem
{
    private readonly CallerCompletion<GenerationResponse> _completion = new(cancellationToken);

    /// <summary>The request.</summary>
    public GenerationRequest Request { get; } = request;

    /// <summary>Receives the text as it is generated, for a streamed generation; otherwise <see langword="null"/>.</summary>
    public Action<string>? OnText { get; } = onText;

    /// <summary>The task handed to the caller.</summary>
    public Task<GenerationResponse> Task => _completion.Task;

    /// <inheritdoc />
    public override bool IsCompleted => _completion.Task.IsCompleted;

    /// <inheritdoc />
    public override CancellationToken CancellationToken => _completion.CancellationToken;

    /// <summary>Completes the caller's task with the generated text.</summary>
    /// <param name="response">The response.</param>
    public void Succeed(GenerationResponse response) => _completion.Succeed(response);

    /// <inheritdoc />
    public override void Fail(Exception exception) => _completion.Fail(exception);

    /// <inheritdoc />
    public override void Cancel() => _completion.Cancel();
}
