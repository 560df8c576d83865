using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace DeepLanguageNetworks.Tests;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also records the due time of every timer created (a delay, a back-off), so a
/// test can wait until code has started waiting before it advances the clock.
/// </summary>
internal sealed class RecordingTimeProvider : FakeTimeProvider
{
    private readonly SemaphoreSlim _timersCreated = new(0);

    public ConcurrentQueue<TimeSpan> DueTimes { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            DueTimes.Enqueue(dueTime);
            _timersCreated.Release();
        }

        return timer;
    }

    /// <summary>Waits until one more timer with a due time has been created.</summary>
    public Task WaitForTimerAsync() => _timersCreated.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(
        t => Assert.True(t.Result, "No timer was created within 10 s."), TaskScheduler.Default);
}
