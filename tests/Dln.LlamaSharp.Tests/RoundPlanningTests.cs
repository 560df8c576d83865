namespace DeepLanguageNetworks.LlamaSharp.Tests;

public sealed class RoundPlanningTests
{
    private const int BatchSize = 40;
    private const int MaxSequences = 4;

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public void Rounds_hold_every_job_once_within_the_sequence_and_token_limits(bool batching, bool reuse)
    {
        var options = new LlamaSharpModelOptions { EnableBatching = batching, EnablePrefixReuse = reuse, MaxSequencesPerBatch = MaxSequences };
        var jobs = Jobs();

        var rounds = InferenceQueue.PlanRounds(jobs, options, contextSize: 200, BatchSize, keptPrefix: []);

        Assert.Equal(jobs.OrderBy(j => j.GetHashCode()), rounds.SelectMany(r => r).OrderBy(j => j.GetHashCode()));
        Assert.All(rounds, r => Assert.InRange(r.Count, 1, batching ? MaxSequences : 1));
        int[] kept = [];
        foreach (var round in rounds)
        {
            // Tokens to compute: the distinct prefixes (tree nodes) of the round, less the part kept from the previous round.
            var nodes = reuse
                ? round.SelectMany(j => Enumerable.Range(1, j.Tokens.Length).Select(n => string.Join(',', j.Tokens[..n]))).Distinct().Count()
                : round.Sum(j => j.Tokens.Length);
            var reused = reuse ? round.Min(j => Math.Min(CommonPrefix(kept, j.Tokens), j.FirstLogitPosition)) : 0;
            Assert.True(round.Count == 1 || nodes - reused <= BatchSize, $"a round computes {nodes - reused} tokens");
            kept = reuse ? round[0].Tokens[..round.Min(j => CommonPrefix(round[0].Tokens, j.Tokens))] : [];
        }
    }

    [Fact]
    public void With_prefix_reuse_jobs_sharing_a_prompt_are_planned_together()
    {
        var options = new LlamaSharpModelOptions { MaxSequencesPerBatch = MaxSequences };

        var rounds = InferenceQueue.PlanRounds(Jobs(), options, contextSize: 200, BatchSize, keptPrefix: []);

        // Two prompts of 12 jobs each; mixed arrival order must not mix them within a round.
        Assert.All(rounds, r => Assert.Single(r.Select(j => j.Tokens[1]).Distinct()));
        Assert.Equal(6, rounds.Count);
    }

    private static List<ScoringJob> Jobs()
    {
        // Prompt tokens (1 = BOS, then a 10-token prompt id 100 or 200), a 6-token input, then a 2-token answer.
        var jobs = new List<ScoringJob>();
        for (var input = 0; input < 6; input++)
        {
            foreach (var prompt in new[] { 100, 200 })
            {
                foreach (var answer in new[] { 7, 8 })
                {
                    int[] tokens = [1, .. Enumerable.Repeat(prompt, 10), .. Enumerable.Range(300 + 10 * input, 6), 5, answer];
                    jobs.Add(new FixedJob(tokens, tokens.Length - 2));
                }
            }
        }

        return jobs;
    }

    private static int CommonPrefix(int[] a, int[] b) => a.AsSpan().CommonPrefixLength(b);

    private sealed class FixedJob : ScoringJob
    {
        public FixedJob(int[] tokens, int firstLogitPosition)
        {
            Tokens = tokens;
            FirstLogitPosition = firstLogitPosition;
            LastLogitPosition = tokens.Length - 2;
        }

        public override bool IsCompleted => false;

        public override CancellationToken CancellationToken => CancellationToken.None;

        public override void Fail(Exception exception) => throw new InvalidOperationException("not expected", exception);

        public override void Cancel() => throw new InvalidOperationException("not expected");

        public override void Prepare(LlamaEngine engine)
        {
        }

        public override void AcceptLogits(int position, ReadOnlySpan<float> logits, LlamaEngine engine)
        {
        }

        public override void Complete(LlamaEngine engine)
        {
        }
    }
}
