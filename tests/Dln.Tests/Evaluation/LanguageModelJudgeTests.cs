using DeepLanguageNetworks.Extensions.AI;
using DeepLanguageNetworks.Tests.Fakes;

namespace DeepLanguageNetworks.Tests.Evaluation;

/// <summary>The LLM judge through a scripted <see cref="ILanguageModel"/> and a scripted chat client.</summary>
public class LanguageModelJudgeTests
{
    private static readonly Example Capital = new("What is the capital of France? {input}", "Paris") { Source = "qa.jsonl:3" };

    [Fact]
    public async Task The_judge_asks_once_at_temperature_zero_and_maps_the_rating_to_a_score()
    {
        var model = new ScriptedLanguageModel().Generates(_ => "Rating: 4\nReason: Right city, but it adds a wrong country.");
        var judge = Metrics.Judge(model);

        var score = await judge.ScoreAsync(Capital, "Paris, Germany");

        Assert.Equal(0.75, score.Score);
        Assert.Equal("Right city, but it adds a wrong country.", score.Feedback);
        var request = Assert.Single(model.Generations);
        Assert.Equal(0, request.Temperature);
        Assert.Null(request.Seed);
        Assert.Equal(new CallPurpose(CallRole.Judge), request.Purpose);
        Assert.Equal(judge.BuildPrompt(Capital, "Paris, Germany"), request.Prompt);
    }

    [Fact]
    public void The_prompt_quotes_input_correct_output_output_and_criteria_literally()
    {
        var judge = Metrics.Judge(new ScriptedLanguageModel(), new LanguageModelJudgeOptions { Criteria = "One word only.\nNo {braces} expanded.", MaxRating = 10 });

        var prompt = judge.BuildPrompt(Capital, "Paris\nis the answer {output}");

        Assert.Contains("## Input\n> What is the capital of France? {input}\n", prompt, StringComparison.Ordinal);
        Assert.Contains("## Correct output\n> Paris\n", prompt, StringComparison.Ordinal);
        Assert.Contains("## Student output\n> Paris\n> is the answer {output}\n", prompt, StringComparison.Ordinal);
        Assert.Contains("> One word only.\n> No {braces} expanded.\n", prompt, StringComparison.Ordinal);
        Assert.Contains("from 1 to 10", prompt, StringComparison.Ordinal);
        Assert.EndsWith("Reason: <one sentence on what is right or wrong in the student's output>\n", prompt, StringComparison.Ordinal);

        var referenceFree = Metrics.Judge(new ScriptedLanguageModel(), new LanguageModelJudgeOptions { ShowsCorrectOutput = false });
        Assert.DoesNotContain("Correct output", referenceFree.BuildPrompt(Capital, "Paris"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Rating: 5\nReason: Exactly right.", 5, 1.0, "Exactly right.")]
    [InlineData("rating = 1. reason: wrong city", 1, 0.0, "wrong city")]
    [InlineData("**Rating:** 3\n**Reason:** Half of it.", 3, 0.5, "** Half of it.")]
    [InlineData("I would give it 2 out of 5 because it misses the date.", 2, 0.25, "I would give it 2 out of 5 because it misses the date.")]
    [InlineData("Rating: 9\nReason: off the scale", 5, 1.0, "off the scale")] // clamped
    [InlineData("Rating: 4.5", 4.5, 0.875, "The judge rated the output 4.5 of 5 without a reason.")]
    public void Replies_are_read_leniently(string reply, double rating, double score, string reason)
    {
        var verdict = LanguageModelJudge.ReadReply(reply, 5);

        Assert.Equal(rating, verdict.Rating);
        Assert.Equal(score, verdict.Score, 12);
        Assert.Equal(reason, verdict.Reason);
        Assert.Equal(reply, verdict.Reply);
    }

    [Theory]
    [InlineData("")]
    [InlineData("I cannot grade this.")]
    [InlineData("It scores 7 of 10.")] // 7 is off the 1-5 scale and 10 too: no rating
    public void A_reply_without_a_rating_scores_zero_and_says_so(string reply)
    {
        var verdict = LanguageModelJudge.ReadReply(reply, 5);

        Assert.Null(verdict.Rating);
        Assert.Equal(0, verdict.Score);
        Assert.StartsWith("The judge's reply has no rating", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repeated_gradings_are_identical_requests_that_a_cache_answers()
    {
        var model = new ScriptedLanguageModel().Generates(_ => "Rating: 2\nReason: Wrong.");
        using var cached = model.AsBuilder().UseCache(new InMemoryCacheStore()).Build();
        var judge = Metrics.Judge(cached);

        var first = await judge.ScoreAsync(Capital, "Lyon");
        var second = await judge.ScoreAsync(Capital, "Lyon");
        await judge.ScoreAsync(Capital, "Marseille");

        Assert.Equal(first, second);
        Assert.Equal(2, model.Generations.Count);
    }

    [Fact]
    public void The_judge_records_its_model_scale_criteria_and_prompt_version()
    {
        var judge = Metrics.Judge(new ScriptedLanguageModel(modelId: "gpt-judge"), new LanguageModelJudgeOptions { Name = "helpfulness", Criteria = "Be kind.", MaxRating = 7 });

        Assert.Equal("helpfulness", judge.Name);
        Assert.Equal("gpt-judge", judge.Settings["model"]);
        Assert.Equal("7", judge.Settings["maxRating"]);
        Assert.Equal("Be kind.", judge.Settings["criteria"]);
        Assert.Equal("1", judge.Settings["prompt"]);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LanguageModelJudgeOptions { MaxRating = 1 });
        Assert.Throws<ArgumentException>(() => new LanguageModelJudgeOptions { Name = "" });
    }

    [Fact]
    public async Task A_judge_through_a_chat_client_grades_at_temperature_zero()
    {
        var chat = new ScriptedChatClient(prompt => prompt.Contains("> Paris\n## Student output\n> Paris\n", StringComparison.Ordinal)
            ? "Rating: 5\nReason: Correct."
            : "Rating: 1\nReason: Not the capital.");
        var judge = chat.AsJudge();

        Assert.Equal(new MetricScore(1, "Correct."), await judge.ScoreAsync(Capital, "Paris"));
        Assert.Equal(new MetricScore(0, "Not the capital."), await judge.ScoreAsync(Capital, "Nice"));
        Assert.Equal(2, chat.Requests.Count);
        Assert.All(chat.Requests, r => Assert.Equal(0f, r.Options?.Temperature));
        Assert.Equal("scripted-chat", judge.Settings["model"]);
    }
}
