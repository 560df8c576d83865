using DeepLanguageNetworks.Tests.Fakes;

namespace DeepLanguageNetworks.Tests.Training;

/// <summary>
/// The posterior weights of a hidden node that several nodes read, checked against numbers worked out by hand: each
/// sample's logit is the sum over the readers of the reader's log-likelihood of its target, given the reader's input
/// with the sample in place and its other inputs at their forward values, plus the prior; the weights are the softmax
/// of the logits over the temperature.
/// </summary>
public class MultiReaderWeightingTests
{
    // Node a is read by b (hidden) and by the answer, which also reads b. Per sample s0, s1, s2 of a:
    private static readonly double[] AnswerLikelihood = [-1.0, -0.5, -2.0];   // log p(y | x, a = s_k, b = forward)
    private static readonly double[] BLikelihood = [-0.4, -1.6, -0.1];        // ℓ̄(h*_b | x, a = s_k)
    private static readonly double[] Prior = [-0.3, -0.2, -0.9];              // ℓ̄(s_k | x) under a's prompt

    private static readonly Example[] Batch = [new("x", "yes")];

    private static (Dln Network, ScriptedLanguageModel Model) Network()
    {
        var model = ScriptedLanguageModel.WithEverything();
        model.OnGenerate = r => new GenerationResponse($"s{r.SampleIndex}", default);
        model.OnContinuation = r =>
        {
            var k = (int)char.GetNumericValue(r.Context.Contains("a:\ns", StringComparison.Ordinal)
                ? r.Context[r.Context.IndexOf("a:\ns", StringComparison.Ordinal) + 4]
                : r.Continuation[^1]);
            var value = r.Context.StartsWith("answer prompt\n\n", StringComparison.Ordinal) ? AnswerLikelihood[k]
                : r.Context.Contains("pb Let us", StringComparison.Ordinal) ? BLikelihood[k]
                : Prior[k];
            return new ContinuationResponse([new TokenLogProbability(r.Continuation, value)], default);
        };
        var network = Dln.CreateGraph()
            .AddLayer("a", new LanguageLayer(model, LayerTemplates.Hidden, "pa", OutputSpace.FreeText(16)))
            .AddLayer("b", new LanguageLayer(model, LayerTemplates.Hidden, "pb", OutputSpace.FreeText(16)), inputs: ["input", "a"])
            .AddLayer("answer", new LanguageLayer(model, LayerTemplates.InstructionThenInput, "answer prompt", OutputSpace.FreeText(8)), inputs: ["input", "a", "b"])
            .Build(output: "answer");
        return (network, model);
    }

    private static DlnResult[] Forward() =>
        [new DlnResult("yes", ["fa", "fb"], default) { LayerInputs = ["x", "x\na:\nfa", "x\na:\nfa\nb:\nfb"] }];

    private static PosteriorSampler Sampler(Dln network, ILanguageModel model, VariationalTrainerOptions options) =>
        new(network, model, new OutputScorer(network.OutputLayer, OutputScoring.LogProbabilities, Metrics.ExactMatch), options, new ObserverList([]));

    private static double[] Softmax(double[] logits, double temperature)
    {
        var e = logits.Select(l => Math.Exp(l / temperature)).ToArray();
        return [.. e.Select(x => x / e.Sum())];
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    public async Task A_sample_is_weighted_by_the_sum_of_its_readers_likelihoods_plus_the_prior(double temperature)
    {
        var (network, model) = Network();
        var options = VariationalTrainerOptions.Dln2 with { HiddenSamples = 3, PosteriorTemperature = temperature };

        var (posterior, kept) = await Sampler(network, model, options).SampleAsync(
            0, Batch, Forward(), ["yes\nhb*"], [new ReaderTarget(1, ["hb*"]), new ReaderTarget(2, ["yes"])], new Random(1), CancellationToken.None);

        // By hand: logits (−0.4 − 1.0 − 0.3, −1.6 − 0.5 − 0.2, −0.1 − 2.0 − 0.9) = (−1.7, −2.3, −3.0).
        double[] logits = [-1.7, -2.3, -3.0];
        var expected = Softmax(logits, temperature);
        Assert.Equal([0], kept);
        Assert.Equal(["s0", "s1", "s2"], posterior.Samples[0]);
        for (var k = 0; k < 3; k++)
        {
            Assert.Equal(expected[k], posterior.Weights[0][k], 12);
        }

        Assert.Equal("s0", posterior.Best[0]);
        Assert.Equal([1, 2], posterior.Readers);

        // Each reader read its input with the sample in place and its other inputs at their forward values.
        Assert.Equal(["x\na:\ns0", "x\na:\ns1", "x\na:\ns2"], posterior.ReaderInputsOf(1)[0]);
        Assert.Equal(["x\na:\ns0\nb:\nfb", "x\na:\ns1\nb:\nfb", "x\na:\ns2\nb:\nfb"], posterior.ReaderInputsOf(2)[0]);
        Assert.Equal(3, model.ContinuationRequests.Count(r => r.Continuation == "\nhb*"));
        Assert.Equal(3, model.ContinuationRequests.Count(r => r.Continuation == "\nyes"));
    }

    [Fact]
    public async Task One_reader_alone_would_choose_another_sample()
    {
        var (network, model) = Network();
        var options = VariationalTrainerOptions.Dln2 with { HiddenSamples = 3 };

        var (posterior, _) = await Sampler(network, model, options).SampleAsync(
            0, Batch, Forward(), ["yes"], [new ReaderTarget(2, ["yes"])], new Random(1), CancellationToken.None);

        // By hand, the answer alone: logits (−1.3, −0.7, −2.9); s1 is best, where the two readers together choose s0.
        var expected = Softmax([-1.3, -0.7, -2.9], 1.0);
        Assert.Equal(expected[1], posterior.Weights[0][1], 12);
        Assert.Equal("s1", posterior.Best[0]);
    }

    [Fact]
    public async Task Adding_a_reader_later_gives_the_weights_of_both_readers_at_once()
    {
        var (network, model) = Network();
        var options = VariationalTrainerOptions.Dln2 with { HiddenSamples = 3 };
        var sampler = Sampler(network, model, options);

        // The walk samples a node the answer reads at the answer's step, and adds its other readers when it reaches it.
        var (first, _) = await sampler.SampleAsync(0, Batch, Forward(), ["yes"], [new ReaderTarget(2, ["yes"])], new Random(1), CancellationToken.None);
        var (both, kept) = await sampler.AddReadersAsync(0, first, Batch, Forward(), [new ReaderTarget(1, ["hb*"])], CancellationToken.None);

        var expected = Softmax([-1.7, -2.3, -3.0], 1.0);
        Assert.Equal([0], kept);
        Assert.Equal([2, 1], both.Readers);
        for (var k = 0; k < 3; k++)
        {
            Assert.Equal(expected[k], both.Weights[0][k], 12);
        }

        Assert.Equal("s0", both.Best[0]);

        // A new prompt of one reader replaces that reader's term only.
        var reweighted = both.Reweighted(2, [[-3.0, -0.1, -2.0]], options);
        var after = Softmax([-3.0 - 0.4 - 0.3, -0.1 - 1.6 - 0.2, -2.0 - 0.1 - 0.9], 1.0);
        Assert.Equal(after[1], reweighted.Weights[0][1], 12);
        Assert.Equal("s1", reweighted.Best[0]);
    }

    [Fact]
    public void The_weights_sum_the_readers_in_order_then_add_the_prior_and_subtract_log_q()
    {
        string[][] samples = [["h0", "h1"], ["g0", "g1"]];
        double[][][] likelihoods = [[[-1.0, -2.0], [-0.5, -0.5]], [[-0.25, -3.0], [-1.0, -2.0]]];
        double[][] prior = [[-0.5, -0.1], [0.0, 0.0]];
        double[][] logQ = [[-1.0, -4.0], [-2.0, -0.5]];
        var options = VariationalTrainerOptions.Dln2 with { PosteriorCorrectsForProposal = true, PosteriorTemperature = 2 };

        var posterior = Posterior.Weigh(samples, [3, 4], [samples, samples], likelihoods, prior, logQ, options);

        // Example 0: (−1 − 0.25 − 0.5 + 1, −2 − 3 − 0.1 + 4) = (−0.75, −1.1); example 1: (−0.5 − 1 + 2, −0.5 − 2 + 0.5) = (0.5, −2).
        Assert.Equal(Softmax([-0.75, -1.1], 2)[0], posterior.Weights[0][0], 12);
        Assert.Equal(Softmax([0.5, -2.0], 2)[1], posterior.Weights[1][1], 12);
        Assert.Equal(["h0", "g0"], posterior.Best);
        Assert.Equal([-0.75, -1.1], Posterior.Logits(likelihoods, 0, 2, prior[0], logQ[0], correctForProposal: true), new ToleranceComparer(1e-12));
    }

    [Fact]
    public void The_output_layers_score_over_several_posteriors_is_their_mean_and_one_is_itself()
    {
        Assert.Equal(-0.1 + -0.2 + -0.4, VariationalObjective.MeanOver(1, _ => -0.1 + -0.2 + -0.4));
        Assert.Equal((-0.5 + -1.5) / 2, VariationalObjective.MeanOver(2, i => i == 0 ? -0.5 : -1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => VariationalObjective.MeanOver(0, _ => 0));
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
