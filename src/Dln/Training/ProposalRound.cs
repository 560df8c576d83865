namespace DeepLanguageNetworks;

/// <summary>
/// The proposals of one layer update, started by <see cref="PromptSelector.Propose"/>: the candidates known before any
/// call (the current prompt, the remembered ones) and one task per proposal request, in request order. The selector
/// scores each proposal as soon as it arrives, and the step may start other work (the posterior) while they run.
/// </summary>
/// <remarks>
/// The round owns a cancellation source linked to the step's token: the calls of the round (proposals and the scores
/// the selector starts) all use it, so that a step that fails can stop them and wait until none is left running
/// (<see cref="CancelAndDrainAsync"/>) before it reports the failure.
/// </remarks>
internal sealed class ProposalRound : IDisposable
{
    private readonly CancellationTokenSource _cancellation;

    /// <summary>Starts the round: <paramref name="start"/> makes the <paramref name="proposalCount"/> proposal requests.</summary>
    public ProposalRound(int layer, string current, IReadOnlyList<string> remembered, int proposalCount, Func<CancellationToken, Task<CleanedProposal>[]> start, TrainingObserver observer, CancellationToken cancellationToken)
    {
        Layer = layer;
        Current = current;
        Remembered = remembered;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<CleanedProposal>[] proposals = [];
        Completion = RunAsync();
        Proposals = proposals;

        // An async method, so that the phase is the parent of the proposals' calls without becoming the caller's:
        // its scope is restored when the method first yields. The calls start before that, synchronously.
        async Task RunAsync()
        {
            using (observer.BeginPhase(TrainingPhase.Propose, layer, proposalCount))
            {
                proposals = start(_cancellation.Token);
                await Task.WhenAll(proposals).ConfigureAwait(false);
            }
        }
    }

    public int Layer { get; }

    /// <summary>The layer's prompt when the round started.</summary>
    public string Current { get; }

    /// <summary>The remembered prompts other than the current one.</summary>
    public IReadOnlyList<string> Remembered { get; }

    /// <summary>One task per proposal request, in request order.</summary>
    public IReadOnlyList<Task<CleanedProposal>> Proposals { get; }

    /// <summary>Completes when every proposal has; faults with the first failure.</summary>
    public Task Completion { get; }

    /// <summary>The token of the round's calls.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>Cancels the round's calls still running and waits until every one of <paramref name="others"/> and of the proposals has ended, whatever its outcome.</summary>
    public async Task CancelAndDrainAsync(IEnumerable<Task>? others = null)
    {
        await _cancellation.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll([Completion, .. others ?? []]).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Observed here: the caller reports the failure that made it give up, not the cancellations.
        }
    }

    public void Dispose() => _cancellation.Dispose();
}
