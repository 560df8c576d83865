namespace DeepLanguageNetworks.LlamaSharp;

/// <summary>A request waiting in the model's queue.</summary>
internal abstract class WorkItem
{
    /// <summary>Whether the caller already has an outcome (result, error or cancellation).</summary>
    public abstract bool IsCompleted { get; }

    /// <summary>The caller's cancellation token.</summary>
    public abstract CancellationToken CancellationToken { get; }

    /// <summary>Completes the caller's task with an error (no effect when it already has an outcome).</summary>
    /// <param name="exception">The error.</param>
    public abstract void Fail(Exception exception);

    /// <summary>Completes the caller's task as cancelled.</summary>
    public abstract void Cancel();
}
