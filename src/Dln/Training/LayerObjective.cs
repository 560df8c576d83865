namespace DeepLanguageNetworks;

/// <summary>
/// One layer's term of the ELBO as <see cref="PromptSelector"/> uses it: a candidate prompt's score is an aggregate of
/// per-example terms (<see cref="ExampleTerm"/>), so that it can be computed on any part of the batch (the slices of
/// candidate racing) as well as on all of it. On a part, every mean (the weighted scores, the trust region, the
/// penalty) is taken over the examples of that part, so scores on slices of one size compare like scores on the batch.
/// </summary>
internal abstract class LayerObjective
{
    /// <summary>The layer whose prompt is chosen.</summary>
    public abstract int Layer { get; }

    /// <summary>The examples of the batch.</summary>
    public abstract int Examples { get; }

    /// <summary>
    /// The order in which candidate racing takes the examples (a permutation of the batch): wrongly and rightly
    /// answered examples in turn, each group interleaved by target, so that every slice holds the errors the proposals
    /// were written to fix and is as balanced over the answers as the batch allows (see <see cref="BatchPass.RacingOrder"/>).
    /// </summary>
    public abstract IReadOnlyList<int> RacingOrder { get; }

    /// <summary>Whether the layer is a hidden one (its candidates race on the hidden layers' schedule of <see cref="CandidateRacingOptions"/>).</summary>
    public virtual bool IsHiddenLayer => false;

    /// <summary>Whether the objective has a trust region (<see cref="CandidateRacingOptions.DropMargin"/> does not apply).</summary>
    public virtual bool HasTrustRegion => false;

    /// <summary>The requests scoring one candidate on the whole batch makes (every <see cref="ScoreExampleAsync"/> once; for progress reports).</summary>
    public abstract int CallsPerCandidate { get; }

    /// <summary>Scores <paramref name="prompt"/> on example <paramref name="example"/> (all its samples and its extra term).</summary>
    public abstract Task<ExampleTerm> ScoreExampleAsync(string prompt, int example, CancellationToken cancellationToken);

    /// <summary>
    /// The candidate's score on the examples <paramref name="examples"/> (ascending), given its terms. On the whole
    /// batch this is exactly the objective of the paper, computed in the same order.
    /// </summary>
    public abstract double Aggregate(IReadOnlyList<int> examples, Func<int, ExampleTerm> term);

    /// <summary>The examples interleaved by target, in batch order within each target.</summary>
    public static int[] InterleaveByTarget(IReadOnlyList<string> targets)
    {
        var groups = new List<Queue<int>>();
        var byTarget = new Dictionary<string, Queue<int>>(StringComparer.Ordinal);
        for (var i = 0; i < targets.Count; i++)
        {
            if (!byTarget.TryGetValue(targets[i], out var group))
            {
                group = new Queue<int>();
                byTarget[targets[i]] = group;
                groups.Add(group);
            }

            group.Enqueue(i);
        }

        var order = new List<int>(targets.Count);
        while (order.Count < targets.Count)
        {
            foreach (var group in groups)
            {
                if (group.TryDequeue(out var i))
                {
                    order.Add(i);
                }
            }
        }

        return [.. order];
    }
}
