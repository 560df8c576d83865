using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace DeepLanguageNetworks.LlamaSharp;

/// <summary>
/// The single consumer of a model's requests. A llama.cpp context must not be used by two threads at once, so every
/// request goes through this queue and one loop runs them; scoring requests that are waiting together are packed
/// into multi-sequence rounds.
/// </summary>
internal sealed class InferenceQueue : IDisposable
{
    private readonly Channel<WorkItem> _channel = Channel.CreateUnbounded<WorkItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _shutdown = new();
    private readonly LlamaEngine _engine;
    private readonly LlamaSharpModelOptions _options;
    private readonly ILogger _logger;
    private readonly Task _loop;

    public InferenceQueue(LlamaEngine engine, LlamaSharpModelOptions options, ILogger logger)
    {
        _engine = engine;
        _options = options;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Queues a request.</summary>
    /// <param name="item">The request.</param>
    /// <exception cref="ObjectDisposedException">The model was disposed.</exception>
    public void Enqueue(WorkItem item)
    {
        if (!_channel.Writer.TryWrite(item))
        {
            throw new ObjectDisposedException(nameof(LlamaSharpLanguageModel));
        }
    }

    /// <summary>Stops the loop: the request running finishes (generation stops at its next token), waiting ones fail.</summary>
    public void Dispose()
    {
        _channel.Writer.TryComplete();
        _shutdown.Cancel();
        try
        {
            _loop.GetAwaiter().GetResult();
        }
        finally
        {
            _shutdown.Dispose();
        }
    }

    /// <summary>
    /// Splits scoring jobs into rounds of at most <see cref="LlamaSharpModelOptions.MaxSequencesPerBatch"/> jobs whose
    /// tokens still to compute fit one decode call of <paramref name="batchSize"/> tokens (a longer job gets a round of
    /// its own, decoded in several calls).
    /// </summary>
    /// <remarks>
    /// With prefix reuse the jobs are sorted by their tokens first, which puts those that share a prompt or a context
    /// side by side. A sorted list's prefix tree has Σ (length − common prefix with the previous job) nodes; of those,
    /// the prefix kept in the cache from the previous round (<paramref name="keptPrefix"/>, then each planned round's
    /// common prefix, exactly as <see cref="LlamaEngine"/> keeps it) needs no computing. Small rounds keep llama.cpp's
    /// attention cheap: its cost per token grows with the number of cache cells in use, whichever sequence owns them.
    /// </remarks>
    /// <param name="jobs">Prepared jobs, in arrival order.</param>
    /// <param name="options">Batching settings.</param>
    /// <param name="contextSize">The cache cells available to one round.</param>
    /// <param name="batchSize">The most tokens per decode call.</param>
    /// <param name="keptPrefix">The tokens kept in the cache from the previous round.</param>
    /// <returns>The rounds, in the order to run them.</returns>
    internal static List<List<ScoringJob>> PlanRounds(List<ScoringJob> jobs, LlamaSharpModelOptions options, int contextSize, int batchSize, int[] keptPrefix)
    {
        var reuse = options.EnablePrefixReuse;
        var ordered = reuse
            ? jobs.Order(Comparer<ScoringJob>.Create((a, b) => TokenSequences.Compare(a.Tokens, b.Tokens))).ToList()
            : jobs;
        var maxSequences = options.EnableBatching ? options.MaxSequencesPerBatch : 1;
        var cached = reuse ? keptPrefix : [];
        var rounds = new List<List<ScoringJob>>();
        List<ScoringJob> current = [];
        var treeNodes = 0;
        var reusable = 0;
        foreach (var job in ordered)
        {
            var jobReusable = Math.Min(TokenSequences.CommonPrefixLength(cached, job.Tokens), job.FirstLogitPosition);
            if (current.Count > 0)
            {
                var nodes = treeNodes + job.Tokens.Length - (reuse ? TokenSequences.CommonPrefixLength(current[^1].Tokens, job.Tokens) : 0);
                var reusableWithJob = Math.Min(reusable, jobReusable);
                if (current.Count < maxSequences && nodes - reusableWithJob <= batchSize && nodes <= contextSize)
                {
                    current.Add(job);
                    treeNodes = nodes;
                    reusable = reusableWithJob;
                    continue;
                }

                rounds.Add(current);
                if (reuse)
                {
                    // What the engine keeps after that round: the prefix common to all its (sorted) jobs.
                    cached = current[0].Tokens[..TokenSequences.CommonPrefixLength(current[0].Tokens, current[^1].Tokens)];
                    jobReusable = Math.Min(TokenSequences.CommonPrefixLength(cached, job.Tokens), job.FirstLogitPosition);
                }
            }

            current = [job];
            treeNodes = job.Tokens.Length;
            reusable = jobReusable;
        }

        if (current.Count > 0)
        {
            rounds.Add(current);
        }

        return rounds;
    }

    private async Task RunAsync()
    {
        var reader = _channel.Reader;
        var pending = new List<WorkItem>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            // Everything waiting now is served together: requests that arrived during the previous decode form the next batch.
            while (reader.TryRead(out var item))
            {
                pending.Add(item);
            }

            try
            {
                Process(pending);
            }
            catch (Exception exception)
            {
                // A failure outside any single request (there should be none) must not leave callers waiting forever.
                _logger.LogError(exception, "The LLamaSharp inference loop failed; failing the requests it held.");
                foreach (var item in pending)
                {
                    item.Fail(exception);
                }

                _engine.ResetMemory();
            }

            pending.Clear();
        }
    }

    private void Process(List<WorkItem> items)
    {
        var scoring = new List<ScoringJob>();
        var generations = new List<GenerationJob>();
        foreach (var item in items)
        {
            if (SkipIfDone(item))
            {
                continue;
            }

            switch (item)
            {
                case ScoringJob job:
                    try
                    {
                        job.Prepare(_engine);
                    }
                    catch (Exception exception) when (exception is not OutOfMemoryException)
                    {
                        job.Fail(exception);
                        continue;
                    }

                    if (job.NeedsDecode)
                    {
                        scoring.Add(job);
                    }
                    else
                    {
                        job.Complete(_engine);
                    }

                    break;
                case GenerationJob generation:
                    generations.Add(generation);
                    break;
            }
        }

        foreach (var round in PlanRounds(scoring, _options, _engine.ContextSize, _engine.BatchSize, _engine.KeptPrefix))
        {
            round.RemoveAll(SkipIfDone);
            if (round.Count == 0)
            {
                continue;
            }

            try
            {
                _engine.RunScoringRound(round);
                foreach (var job in round)
                {
                    job.Complete(_engine);
                }
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                _engine.ResetMemory();
                foreach (var job in round)
                {
                    job.Fail(exception);
                }
            }
        }

        foreach (var generation in generations)
        {
            if (SkipIfDone(generation))
            {
                continue;
            }

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(generation.CancellationToken, _shutdown.Token);
            try
            {
                generation.Succeed(_engine.Generate(generation.Request, linked.Token, generation.OnText));
            }
            catch (OperationCanceledException) when (generation.CancellationToken.IsCancellationRequested)
            {
                generation.Cancel();
            }
            catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
            {
                generation.Fail(new ObjectDisposedException(nameof(LlamaSharpLanguageModel), "The model was disposed while this generation was running."));
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                _engine.ResetMemory();
                generation.Fail(exception);
            }
        }
    }

    private bool SkipIfDone(WorkItem item)
    {
        if (item.IsCompleted)
        {
            return true;
        }

        if (item.CancellationToken.IsCancellationRequested)
        {
            item.Cancel();
            return true;
        }

        if (_shutdown.IsCancellationRequested)
        {
            item.Fail(new ObjectDisposedException(nameof(LlamaSharpLanguageModel), "The model was disposed before this request ran."));
            return true;
        }

        return false;
    }
}
