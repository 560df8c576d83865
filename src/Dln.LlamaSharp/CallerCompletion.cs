namespace DeepLanguageNetworks.LlamaSharp;

/// <summary>The task a caller awaits for a queued request, cancelled as soon as the caller's token fires.</summary>
/// <typeparam name="TResult">The response type.</typeparam>
internal sealed class CallerCompletion<TResult>
{
    // RunContinuationsAsynchronously: callers' continuations must never run on the inference loop.
    private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenRegistration _registration;

    public CallerCompletion(CancellationToken cancellationToken)
    {
        CancellationToken = cancellationToken;

        // A caller that gives up while its request still waits in the queue gets its cancellation at once.
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.Register(static state => ((CallerCompletion<TResult>)state!).Cancel(), this);
        }
    }

    public Task<TResult> Task => _completion.Task;

    public CancellationToken CancellationToken { get; }

    public void Succeed(TResult result)
    {
        _completion.TrySetResult(result);
        _registration.Dispose();
    }

    public void Fail(Exception exception)
    {
        _completion.TrySetException(exception);
        _registration.Dispose();
    }

    public void Cancel()
    {
        _completion.TrySetCanceled(CancellationToken);
        _registration.Dispose();
    }
}
