namespace DeepLanguageNetworks.OpenAI;

/// <summary>
/// The total timeout of one hosted call: a token that the caller's cancellation or the deadline cancels, so that the
/// HTTP pipeline's retries end with the deadline (a cancelled message is not retried), and a way to tell which of the two
/// cancelled it.
/// </summary>
internal sealed class CallDeadline : IDisposable
{
    private readonly CancellationTokenSource? _timer;
    private readonly CancellationTokenSource? _linked;
    private readonly CancellationToken _caller;

    /// <summary>Starts the deadline.</summary>
    /// <param name="target">The call's target, whose <see cref="CallTarget.TotalTimeout"/> and clock apply; no deadline without a total timeout.</param>
    /// <param name="caller">The caller's token.</param>
    public CallDeadline(CallTarget target, CancellationToken caller)
    {
        _caller = caller;
        if (target.TotalTimeout is { } total)
        {
            _timer = new CancellationTokenSource(total, target.Clock);
            _linked = CancellationTokenSource.CreateLinkedTokenSource(caller, _timer.Token);
        }
    }

    /// <summary>The token to send the call with.</summary>
    public CancellationToken Token => _linked?.Token ?? _caller;

    /// <summary>Whether the deadline, and not the caller, cancelled the call.</summary>
    public bool HasExpired => _timer is { IsCancellationRequested: true } && !_caller.IsCancellationRequested;

    /// <inheritdoc />
    public void Dispose()
    {
        _linked?.Dispose();
        _timer?.Dispose();
    }
}
