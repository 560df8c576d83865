namespace DeepLanguageNetworks;

/// <summary>
/// A token bucket on a <see cref="TimeProvider"/>: refills continuously at <c>rate</c> units per second up to a burst
/// capacity and serves waiters first come, first served. Thread-safe.
/// </summary>
/// <remarks>
/// <para>Hand-rolled because the limiters of System.Threading.RateLimiting 10.0 (<c>TokenBucketRateLimiter</c>,
/// <c>FixedWindowRateLimiter</c>, <c>SlidingWindowRateLimiter</c>) read <c>Stopwatch</c> time and own a
/// <c>System.Threading.Timer</c>: they take no <see cref="TimeProvider"/>, so their rate cannot be tested under a fake
/// clock, and driving them by hand (<c>AutoReplenishment = false</c>) only adds whole permits per tick, which cannot
/// express rates such as 90 requests per minute or 2 million tokens per minute exactly.</para>
/// <para>A request larger than the burst capacity (a long prompt under a small tokens-per-minute limit) is admitted
/// when the bucket is full and leaves it in debt; later requests wait until the debt is repaid, so the long-run rate
/// still holds.</para>
/// </remarks>
internal sealed class TokenBucket : IDisposable
{
    private readonly object _gate = new();
    private readonly TimeProvider _timeProvider;
    private readonly ITimer _timer;
    private readonly LinkedList<Waiter> _queue = new();
    private double _tokens;
    private long _lastRefill;
    private bool _disposed;

    /// <param name="ratePerSecond">Units added per second.</param>
    /// <param name="capacity">The most units the bucket holds (the largest burst); it starts full.</param>
    /// <param name="timeProvider">The clock.</param>
    public TokenBucket(double ratePerSecond, double capacity, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        RatePerSecond = ratePerSecond;
        Capacity = capacity;
        _timeProvider = timeProvider;
        _tokens = capacity;
        _lastRefill = timeProvider.GetTimestamp();
        _timer = timeProvider.CreateTimer(static s => ((TokenBucket)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public double RatePerSecond { get; }

    public double Capacity { get; }

    /// <summary>How many acquisitions are waiting.</summary>
    public int QueuedCount
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Units available now (negative while in debt).</summary>
    public double Available
    {
        get
        {
            lock (_gate)
            {
                Refill();
                return _tokens;
            }
        }
    }

    /// <summary>Waits until <paramref name="amount"/> units can be taken, then takes them.</summary>
    public ValueTask AcquireAsync(double amount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        cancellationToken.ThrowIfCancellationRequested();
        Waiter waiter;
        LinkedListNode<Waiter> node;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Refill();
            if (_queue.Count == 0 && CanTake(amount))
            {
                _tokens -= amount;
                return ValueTask.CompletedTask;
            }

            waiter = new Waiter(amount);
            node = _queue.AddLast(waiter);
            if (_queue.Count == 1)
            {
                ScheduleHead();
            }
        }

        return new ValueTask(WaitAsync(waiter, node, cancellationToken));
    }

    public void Dispose()
    {
        List<Waiter> abandoned;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            abandoned = [.. _queue];
            _queue.Clear();
        }

        _timer.Dispose();
        foreach (var waiter in abandoned)
        {
            waiter.Completion.TrySetException(new ObjectDisposedException(nameof(TokenBucket)));
        }
    }

    private async Task WaitAsync(Waiter waiter, LinkedListNode<Waiter> node, CancellationToken cancellationToken)
    {
        await using var registration = cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                if (node.List is null)
                {
                    return; // already granted
                }

                var wasHead = _queue.First == node;
                _queue.Remove(node);
                if (wasHead)
                {
                    // The next waiter may need less; it may even fit now.
                    GrantReady();
                }
            }

            waiter.Completion.TrySetCanceled(cancellationToken);
        }).ConfigureAwait(false);
        await waiter.Completion.Task.ConfigureAwait(false);
    }

    // Requests larger than the capacity are admitted from a full bucket (and leave it in debt); others need their
    // full amount. The tiny tolerance absorbs floating-point error in the refill arithmetic.
    private bool CanTake(double amount) => _tokens + 1e-9 >= Math.Min(amount, Capacity);

    private void Refill()
    {
        var now = _timeProvider.GetTimestamp();
        var elapsedSeconds = (double)(now - _lastRefill) / _timeProvider.TimestampFrequency;
        _lastRefill = now;
        if (elapsedSeconds > 0)
        {
            _tokens = Math.Min(Capacity, _tokens + (elapsedSeconds * RatePerSecond));
        }
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                GrantReady();
            }
        }
    }

    // Called under the lock: serves waiters in order while the bucket allows, then arms the timer for the next one.
    private void GrantReady()
    {
        Refill();
        while (_queue.First is { } head && CanTake(head.Value.Amount))
        {
            _tokens -= head.Value.Amount;
            _queue.RemoveFirst();
            head.Value.Completion.TrySetResult();
        }

        ScheduleHead();
    }

    private void ScheduleHead()
    {
        if (_queue.First is not { } head)
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        var missing = Math.Min(head.Value.Amount, Capacity) - _tokens;
        var ticks = Math.Max(1, (long)Math.Ceiling(missing / RatePerSecond * TimeSpan.TicksPerSecond));
        _timer.Change(TimeSpan.FromTicks(ticks), Timeout.InfiniteTimeSpan);
    }

    private sealed class Waiter(double amount)
    {
        public double Amount { get; } = amount;

        // Continuations run asynchronously so that a grant made under the lock never runs a caller's code there.
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
