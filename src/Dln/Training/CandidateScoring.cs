namespace DeepLanguageNetworks;

/// <summary>
/// The per-example terms of every candidate prompt, each computed once however often it is asked for (a prompt
/// proposed twice, a slice that grows). Thread-safe: proposals start their scores from several threads.
/// </summary>
internal sealed class CandidateScoring(LayerObjective objective, CancellationToken cancellationToken)
{
    private readonly Dictionary<string, Task<ExampleTerm>?[]> _terms = new(StringComparer.Ordinal);

    /// <summary>Every term started so far.</summary>
    public IEnumerable<Task> Running
    {
        get
        {
            lock (_terms)
            {
                return _terms.Values.SelectMany(t => t).OfType<Task>().ToArray();
            }
        }
    }

    public void Start(string prompt, IReadOnlyList<int> examples) => _ = Tasks(prompt, examples);

    public Task ScoreAsync(string prompt, IReadOnlyList<int> examples) => Task.WhenAll(Tasks(prompt, examples));

    /// <summary>A term already computed (by <see cref="ScoreAsync"/>).</summary>
    public ExampleTerm Term(string prompt, int example)
    {
        lock (_terms)
        {
            return _terms[prompt][example]!.Result;
        }
    }

    /// <summary>
    /// The scores of <paramref name="prompts"/> on <paramref name="slice"/> (ascending), whose terms are computed:
    /// an example that overflowed under one of them is left out for all (<see cref="PromptSelector.Score"/>).
    /// </summary>
    public SliceScores ScoreSlice(IReadOnlyList<string> prompts, int[] slice)
    {
        var evaluations = prompts.Select(p => Evaluation(p, slice)).ToArray();
        var (scores, dropped) = PromptSelector.Score(evaluations);
        return new SliceScores(scores, [.. dropped.Select(j => slice[j])], slice, evaluations);
    }

    /// <summary>One candidate's evaluation of a slice: positions are within <paramref name="slice"/>.</summary>
    private CandidateEvaluation Evaluation(string prompt, int[] slice)
    {
        var overflowed = Enumerable.Range(0, slice.Length).Where(j => Term(prompt, slice[j]).Overflowed).ToHashSet();
        return new CandidateEvaluation(slice.Length, overflowed, kept =>
            objective.Aggregate(kept is null ? slice : [.. kept.Select(j => slice[j])], i => Term(prompt, i)));
    }

    private Task<ExampleTerm>[] Tasks(string prompt, IReadOnlyList<int> examples)
    {
        var tasks = new Task<ExampleTerm>[examples.Count];
        List<(int Example, TaskCompletionSource<ExampleTerm> Completion)>? toStart = null;
        lock (_terms)
        {
            if (!_terms.TryGetValue(prompt, out var terms))
            {
                terms = new Task<ExampleTerm>?[objective.Examples];
                _terms[prompt] = terms;
            }

            for (var j = 0; j < examples.Count; j++)
            {
                var i = examples[j];
                if (terms[i] is null)
                {
                    var completion = new TaskCompletionSource<ExampleTerm>(TaskCreationOptions.RunContinuationsAsynchronously);
                    terms[i] = completion.Task;
                    (toStart ??= []).Add((i, completion));
                }

                tasks[j] = terms[i]!;
            }
        }

        // The calls start outside the lock: their synchronous part (cache keys, limiter queues) must not hold it.
        foreach (var (example, completion) in toStart ?? [])
        {
            _ = RunAsync(prompt, example, completion);
        }

        return tasks;
    }

    private async Task RunAsync(string prompt, int example, TaskCompletionSource<ExampleTerm> completion)
    {
        try
        {
            completion.SetResult(await objective.ScoreExampleAsync(prompt, example, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            // Kept as it is (a backend timeout may surface as a cancellation the caller did not ask for).
            completion.SetException(ex);
        }
    }
}
