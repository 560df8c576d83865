using DeepLanguageNetworks.Tests.Scripted;

namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>
/// A proxy glitch costs nothing: one truncated 200 response in the middle of a run is retried like a transient error,
/// so the run records no failed iteration and learns exactly the prompts of a run without the glitch.
/// </summary>
public sealed class MalformedResponseTrainingTests
{
    private static VariationalTrainerOptions Options { get; } = VariationalTrainerOptions.Dln1 with { Iterations = 4, BatchSize = 10, PromptCandidates = 6 };

    [Theory]
    [InlineData(40)]
    [InlineData(60)]
    public async Task One_truncated_response_changes_neither_the_history_nor_the_learned_prompts(int glitchAt)
    {
        var clean = await TrainAsync(glitchAt: null);
        var glitched = await TrainAsync(glitchAt);

        Assert.True(glitched.Glitched, "the glitch was served");
        Assert.All(glitched.Result.History, h => Assert.Null(h.Error));
        Assert.Equal(clean.Result.BestPrompts, glitched.Result.BestPrompts);
        Assert.Equal(clean.Result.History.Select(h => (h.Iteration, h.DevAccuracy, h.Skipped, string.Join("|", h.Prompts))),
            glitched.Result.History.Select(h => (h.Iteration, h.DevAccuracy, h.Skipped, string.Join("|", h.Prompts))));
        Assert.Equal(clean.Requests + 1, glitched.Requests);
    }

    private static async Task<(TrainingResult Result, int Requests, bool Glitched)> TrainAsync(int? glitchAt)
    {
        using var world = new ScriptedWorldModel(NumberParityTask.Instance, ScriptedWorldModel.ChatLikeCapabilities);
        var answer = LanguageModelServerHandler.Create(world);
        var glitched = 0;
        await using var server = await FakeOpenAIServer.StartAsync(async request =>
        {
            var response = await answer(request);
            if (request.Index + 1 == glitchAt && response.StatusCode == 200)
            {
                Interlocked.Exchange(ref glitched, 1);
                return response with { Body = response.Body[..(response.Body.Length / 2)] };
            }

            return response;
        });
        using var model = OpenAIChatLanguageModel.ForCompatibleServer(server.BaseUrl, "gpt-test", options: TestOptions.Chat());
        var (train, dev, _) = NumberParityTask.Splits();
        var network = Dln.CreateOneLayer(model, "Answer the question.", OutputSpace.FromClasses("yes|Yes", "no|No"));

        var result = await new VariationalTrainer(model, Options).TrainAsync(network, train, dev);
        return (result, server.RequestCount, glitched == 1);
    }
}
