using System.Globalization;

namespace DeepLanguageNetworks.LlamaSharp.Tests;

/// <summary>
/// Issue 15's runs on the bundled model: a training set in which 3 of 32 inputs are 20,000 characters (about 6,500
/// tokens, three times the 2,048-token context) trains through all its iterations and reports the three; and a
/// backward model whose context cannot hold a meta-prompt with every shown example proposes from fewer examples
/// instead of failing (the README's one-layer example died on a 2,061-token meta-prompt in a 2,048-token context).
/// </summary>
public sealed class LongInputTrainingTests(BundledModelFixture fixture) : IClassFixture<BundledModelFixture>
{
    private static readonly int[] LongInputs = [4, 17, 29];
    private static readonly OutputSpace Sentiment = OutputSpace.FromClasses("positive", "negative");

    [Fact]
    public async Task A_run_with_3_of_32_training_inputs_of_20000_characters_completes_and_reports_them()
    {
        var model = fixture.Model;
        Assert.Equal(2048, model.Capabilities.ContextLength);
        var train = Examples(32, "train");
        var story = string.Concat(Enumerable.Repeat("and then she played in the park with her friend ", 500))[..20_000];
        foreach (var i in LongInputs)
        {
            train[i] = train[i] with { Input = "Review: " + story };
        }

        var network = Dln.CreateOneLayer(model, "Is the review positive or negative?", Sentiment);
        var options = VariationalTrainerOptions.Dln1 with { Iterations = 3, BatchSize = 8, PromptCandidates = 3, BackwardMaxTokens = 24, ValidationInterval = 3 };

        var result = await new VariationalTrainer(model, options).TrainAsync(network, train, Examples(6, "dev"));

        Assert.Equal(options.Iterations, result.IterationsCompleted);
        Assert.All(result.History, h => Assert.Null(h.Error));
        Assert.Equal(LongInputs, result.OverlongInputs.Select(o => o.Index));
        Assert.All(result.OverlongInputs, o =>
        {
            Assert.Equal("train", o.Split);
            Assert.Equal($"train.jsonl:{o.Index + 1}", o.Source);
            Assert.Equal(2048, o.ContextLength);
            Assert.True(o.Tokens > 4096, $"{o.Tokens} tokens");
            Assert.False(o.Truncated);
        });
        Assert.All(result.History, h => Assert.Equal(0, h.ContextOverflows));
    }

    [Fact]
    public async Task A_meta_prompt_too_long_for_the_backward_models_context_drops_shown_examples_instead_of_failing()
    {
        var forward = fixture.Model;
        var train = Examples(16, "train");
        var network = Dln.CreateOneLayer(forward, "Is the review positive or negative?", Sentiment);
        ProposalExample[] one = [new(train[0].Input, "positive", train[0].Target, IsCorrect: false)];
        ProposalExample[] four = [.. train.Take(4).Select(e => new ProposalExample(e.Input, "positive", e.Target, IsCorrect: false))];
        var metaWithOne = forward.CountTokens(MetaPrompt.Build(network.OutputLayer.Prompt, one, MetaPrompt.EditInstruction(3)));
        var metaWithFour = forward.CountTokens(MetaPrompt.Build(network.OutputLayer.Prompt, four, MetaPrompt.EditInstruction(0)));
        var window = metaWithOne + 48;
        Assert.True(metaWithFour > window, $"a meta-prompt with four examples ({metaWithFour} tokens) must not fit {window}");
        using var backward = new LlamaSharpLanguageModel(fixture.Options() with { ContextSize = window });
        var options = VariationalTrainerOptions.Dln1 with { Iterations = 2, BatchSize = 4, PromptCandidates = 3, BackwardMaxTokens = 24, SkipUpdateWhenBatchCorrect = false };

        var result = await new VariationalTrainer(backward, options, new TrainingRunOptions { MaxFailedIterations = 0 }).TrainAsync(network, train, Examples(4, "dev"));

        Assert.Equal(options.Iterations, result.IterationsCompleted);
        Assert.All(result.History, h => Assert.Null(h.Error));
        var proposals = result.History.SelectMany(h => h.Updates).Select(u => u.Proposals).Aggregate((a, b) => a + b);
        Assert.True(proposals.ShownExamplesDropped >= 2 * options.Iterations * (options.PromptCandidates - 1), $"{proposals.ShownExamplesDropped} shown examples dropped");
        Assert.Equal(0, proposals.ContextOverflows);
    }

    // Reviews of about the same length, alternately positive and negative, each with its line in a would-be file.
    private static Example[] Examples(int count, string split)
    {
        string[] good = ["a warm and funny story that made me smile", "the best film I have seen this year, full of joy", "lovely music and a kind, happy ending"];
        string[] bad = ["a dull and slow story that made me sleep", "the worst film I have seen this year, full of noise", "awful music and a cold, sad ending"];
        return [.. Enumerable.Range(0, count).Select(i => new Example(
            string.Create(CultureInfo.InvariantCulture, $"Review: {(i % 2 == 0 ? good[i / 2 % 3] : bad[i / 2 % 3])}, said reader {i}."),
            i % 2 == 0 ? "positive" : "negative") { Source = $"{split}.jsonl:{i + 1}" })];
    }
}
