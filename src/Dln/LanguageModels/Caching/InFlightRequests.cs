namespace DeepLanguageNetworks;

/// <summary>
/// Makes identical concurrent requests share one backend call. Thread-safe.
/// </summary>
/// <remarks>
/// <para>Cancellation rule: one caller cancelling only stops that caller's wait. The shared call is cancelled when
/// every caller waiting for it has cancelled, so cancelling a whole training run still stops queued backend calls,
/// while one impatient caller never fails the others.</para>
/// <para>Accounting rule: when the shared result came from the backend, exactly one caller receives it as is and the
/// others receive it marked as coming from the cache, so usage tracking counts the tokens once.</para>
/// <para>Hand-rolled rather than a <c>ConcurrentDictionary</c> of <c>Lazy&lt;Task&gt;</c> because the waiter count
/// that implements the cancellation rule must change atomically with the entry's lookup and removal.</para>
/// </remarks>
/// <typeparam name="T">The response type.</typeparam>
internal sealed class InFlightRequests<T>
    where T : class
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Func<T, T> _markAsShared;

    /// <param name="markAsShared">Returns the response marked as not spent by this caller (FromCache = true).</param>
    public InFlightRequests(Func<T, T> markAsShared) => _markAsShared = markAsShared;

    /// <summary>How many distinct calls are in flight.</summary>
    public int Count
    {
        get
        {
            lock (_entries)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Joins the call in flight for <paramref name="key"/>, or starts it with <paramref name="call"/>.</summary>
    /// <param name="key">Identifies identical requests.</param>
    /// <param name="call">Makes the call; returns the response and whether it came from the backend (spent tokens).</param>
    /// <param name="cancellationToken">Cancels this caller's wait (and the call when no one else waits).</param>
    public async Task<T> RunAsync(string key, Func<CancellationToken, Task<(T Response, bool FromBackend)>> call, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Entry entry;
        bool start;
        lock (_entries)
        {
            start = !_entries.TryGetValue(key, out entry!);
            if (start)
            {
                entry = new Entry(key);
                _entries.Add(key, entry);
            }

            entry.Waiters++;
        }

        if (start)
        {
            _ = StartAsync(entry, call);
        }

        (T Response, bool FromBackend) result;
        try
        {
            result = await entry.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Leaving here rather than in a callback registered on the token: WaitAsync's own registration would run
            // first and could unregister ours before it ran.
            Leave(entry);
            throw;
        }

        return result.FromBackend && Interlocked.Exchange(ref entry.Claimed, 1) == 0 ? result.Response : _markAsShared(result.Response);
    }

    private async Task StartAsync(Entry entry, Func<CancellationToken, Task<(T, bool)>> call)
    {
        try
        {
            entry.Completion.TrySetResult(await call(entry.Cancellation.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException ex) when (entry.Cancellation.IsCancellationRequested)
        {
            entry.Completion.TrySetCanceled(ex.CancellationToken);
        }
        catch (Exception ex)
        {
            entry.Completion.TrySetException(ex);
        }
        finally
        {
            Remove(entry);
        }
    }

    private void Leave(Entry entry)
    {
        lock (_entries)
        {
            if (--entry.Waiters > 0 || entry.Completion.Task.IsCompleted)
            {
                return;
            }

            // Nobody waits any more: forget the entry so that a later identical request starts afresh instead of
            // joining a call that is being cancelled.
            RemoveLocked(entry);
        }

        entry.Cancellation.Cancel();
    }

    private void Remove(Entry entry)
    {
        lock (_entries)
        {
            RemoveLocked(entry);
        }
    }

    private void RemoveLocked(Entry entry)
    {
        if (_entries.TryGetValue(entry.Key, out var current) && ReferenceEquals(current, entry))
        {
            _entries.Remove(entry.Key);
        }
    }

    private sealed class Entry(string key)
    {
        public string Key { get; } = key;

        public TaskCompletionSource<(T, bool)> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        // Never disposed: it has no timer, and a late Leave may still call Cancel on it.
        public CancellationTokenSource Cancellation { get; } = new();

        public int Waiters;

        public int Claimed;
    }
}
