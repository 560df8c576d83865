using System.Text.RegularExpressions;

namespace DeepLanguageNetworks.Tests.Training;

/// <summary>The backward meta-prompt, the cleaning of proposals, and deterministic proposal requests.</summary>
public partial class PromptProposerTests
{
    private static readonly ProposalExample Right = new("Number: 7", "yes", "yes", IsCorrect: true);
    private static readonly ProposalExample Wrong = new("Number: 8", "yes", "no", IsCorrect: false);

    [Fact]
    public void Meta_prompt_shows_the_instruction_then_right_and_wrong_items_and_ends_with_the_open_slot()
    {
        var text = MetaPrompt.Build("Answer the question.", [Wrong, Right], MetaPrompt.EditInstruction(2));

        Assert.StartsWith("A student model is given an instruction and an input", text, StringComparison.Ordinal);
        Assert.Contains("## Instruction\n> Answer the question.\n[END]\n\n", text, StringComparison.Ordinal);
        Assert.Contains("# Inputs the student got right\n\n## Input\n> Number: 7\n## Correct output\n> yes\n", text, StringComparison.Ordinal);
        Assert.Contains("# Inputs the student got wrong\n\n## Input\n> Number: 8\n## Student output\n> yes\n## Correct output\n> no\n", text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("## Instruction", StringComparison.Ordinal) < text.IndexOf("# Inputs the student got right", StringComparison.Ordinal));
        Assert.True(text.IndexOf("# Inputs the student got right", StringComparison.Ordinal) < text.IndexOf("# Inputs the student got wrong", StringComparison.Ordinal));
        Assert.Contains(MetaPrompt.EditInstruction(2) + "\n\n## Improved instruction\n> ", text, StringComparison.Ordinal);
        Assert.EndsWith("## Improved instruction\n> ", text, StringComparison.Ordinal);
        // The student output of an item it got right is not shown.
        Assert.Single(Regex.Matches(text, "## Student output"));
    }

    [Fact]
    public void A_wrong_item_shows_the_metrics_feedback_between_its_output_and_the_correct_one()
    {
        var wrong = Wrong with { Feedback = "Off by one.\nThe number is even." };
        var right = Right with { Feedback = "Fine." };

        var text = MetaPrompt.Build("p", [wrong, right], MetaPrompt.EditInstruction(0));

        Assert.Contains("## Student output\n> yes\n" + MetaPrompt.FeedbackHeading + "\n> Off by one.\n> The number is even.\n## Correct output\n> no\n", text, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(text, MetaPrompt.FeedbackHeading));
        Assert.Equal(MetaPrompt.Build("p", [Wrong, Right], MetaPrompt.EditInstruction(0)), MetaPrompt.Build("p", [Wrong with { Feedback = " " }, Right], MetaPrompt.EditInstruction(0)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n ")]
    public void Empty_prompt_has_no_current_instruction_section(string prompt)
    {
        var text = MetaPrompt.Build(prompt, [Wrong], MetaPrompt.EditInstruction(0));

        Assert.DoesNotContain("## Instruction", text, StringComparison.Ordinal);
        Assert.DoesNotContain(MetaPrompt.EndMarker, text, StringComparison.Ordinal);
        Assert.DoesNotContain("followed", text, StringComparison.Ordinal);
        Assert.Contains("## Input\n> Number: 8\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Sections_without_items_are_left_out()
    {
        var onlyWrong = MetaPrompt.Build("p", [Wrong], MetaPrompt.EditInstruction(0));
        Assert.DoesNotContain("got right", onlyWrong, StringComparison.Ordinal);
        Assert.Contains("# Inputs the student got wrong", onlyWrong, StringComparison.Ordinal);

        var onlyRight = MetaPrompt.Build("p", [Right], MetaPrompt.EditInstruction(0));
        Assert.DoesNotContain("got wrong", onlyRight, StringComparison.Ordinal);
        Assert.DoesNotContain("## Student output", onlyRight, StringComparison.Ordinal);

        var none = MetaPrompt.Build("p", [], MetaPrompt.EditInstruction(0));
        Assert.DoesNotContain("# Inputs", none, StringComparison.Ordinal);
        // Every section heading is followed by an item, every item heading by a quoted line, and no line consists of
        // spaces only.
        foreach (var text in new[] { onlyWrong, onlyRight, none })
        {
            Assert.DoesNotMatch(EmptySection(), text);
            Assert.DoesNotMatch(EmptyItemField(), text);
            Assert.DoesNotMatch(BlankButSpaces(), text);
        }
    }

    [Fact]
    public void Multi_line_texts_are_quoted_line_by_line()
    {
        var item = new ProposalExample("Number: 4817\nMy reasoning about it:\ndigit sum = 20", "yes", "no", IsCorrect: false);
        var text = MetaPrompt.Build("Line one.\r\nLine two.", [item], MetaPrompt.EditInstruction(1));

        Assert.Contains("## Instruction\n> Line one.\n> Line two.\n[END]", text, StringComparison.Ordinal);
        Assert.Contains("## Input\n> Number: 4817\n> My reasoning about it:\n> digit sum = 20\n## Student output", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Edit_instructions_rotate_over_four_operations()
    {
        var four = Enumerable.Range(0, 4).Select(MetaPrompt.EditInstruction).ToArray();
        Assert.Equal(4, four.Distinct().Count());
        for (var i = 0; i < 12; i++)
        {
            Assert.Equal(four[i % 4], MetaPrompt.EditInstruction(i));
        }

        Assert.Equal(four[3], MetaPrompt.EditInstruction(-1));
        Assert.Contains("shorter", four[2], StringComparison.OrdinalIgnoreCase);
        Assert.Contains("example", four[1], StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("Answer yes if the number is odd.", "Answer yes if the number is odd.", false)]
    [InlineData("  Answer briefly.\n\n", "Answer briefly.", false)]
    [InlineData("> Answer yes if the number is odd.", "Answer yes if the number is odd.", true)]
    [InlineData(">Answer.", "Answer.", true)]
    [InlineData("Answer yes.[END] and then some echoed text", "Answer yes.", true)]
    [InlineData("Answer yes.\n[END]\n# Inputs the student got right", "Answer yes.", true)]
    [InlineData("## Improved instruction\n> Be precise.", "Be precise.", true)]
    [InlineData("First line.\n> Second line.", "First line.\nSecond line.", true)]
    [InlineData("Keep 3 > 2 in mind.", "Keep 3 > 2 in mind.", false)]
    public void Clean_removes_echoed_markup(string raw, string expected, bool markers)
    {
        var cleaned = MetaPrompt.Clean(raw, 4000, out var clipped, out var markersRemoved);
        Assert.Equal(expected, cleaned);
        Assert.Equal(markers, markersRemoved);
        Assert.False(clipped);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t ")]
    [InlineData("[END]")]
    [InlineData("# Heading only")]
    [InlineData("## Improved instruction\n> ")]
    public void Clean_returns_empty_when_nothing_is_left(string raw)
    {
        Assert.Equal(string.Empty, MetaPrompt.Clean(raw, 4000, out _, out _));
    }

    [Theory]
    [InlineData("alpha beta gamma delta", 12, "alpha beta")]
    [InlineData("alpha beta gamma delta", 10, "alpha beta")]
    [InlineData("alpha beta gamma", 11, "alpha beta")]
    [InlineData("abcdefghijklmnop", 5, "abcde")]
    public void Clean_clips_long_proposals_at_a_word_boundary(string raw, int limit, string expected)
    {
        var cleaned = MetaPrompt.Clean(raw, limit, out var clipped, out _);
        Assert.Equal(expected, cleaned);
        Assert.True(clipped);
        Assert.True(cleaned.Length <= limit);
    }

    [Fact]
    public void Clean_never_returns_more_than_the_limit()
    {
        var random = new Random(3);
        var words = new[] { "a", "bb", "ccc", "dddd", "eeeeeeeeeeee", ">", "#x", "\n" };
        for (var trial = 0; trial < 200; trial++)
        {
            var raw = string.Join(' ', Enumerable.Range(0, random.Next(1, 30)).Select(_ => words[random.Next(words.Length)]));
            var limit = random.Next(1, 40);
            var cleaned = MetaPrompt.Clean(raw, limit, out var clipped, out _);
            Assert.True(cleaned.Length <= limit, $"'{raw}' at {limit} gave '{cleaned}'");
            Assert.Equal(cleaned.Trim(), cleaned);
            if (!clipped)
            {
                Assert.Equal(cleaned, MetaPrompt.Clean(raw, int.MaxValue, out _, out _));
            }
        }
    }

    [Fact]
    public async Task Proposals_come_back_in_request_order_whatever_the_completion_order()
    {
        ProposalExample[] examples = [Right, Wrong, Right with { Input = "Number: 9" }, Wrong with { Input = "Number: 10" }, Right with { Input = "Number: 11" }];
        string[] starting = ["Current prompt.", "Remembered prompt."];
        const int count = 6;

        async Task<(IReadOnlyList<string> Proposals, ProposalStatistics Statistics, GatedProposalModel Model, CountingRandom Random)> ProposeAsync(bool reverse)
        {
            var random = new CountingRandom(17);
            var model = new GatedProposalModel(count, reverse, r => $"> Proposal {r.SampleIndex} for seed {r.Seed}.", random);
            var proposer = new PromptProposer(model, temperature: 0.7, maxTokens: 300, maxExamples: 3);
            var (proposals, statistics) = await proposer.ProposeAsync(starting, examples, count, random, new CallPurpose(CallRole.Backward, 0));
            return (proposals, statistics, model, random);
        }

        var inOrder = await ProposeAsync(reverse: false);
        var reversed = await ProposeAsync(reverse: true);

        Assert.Equal(Enumerable.Range(0, count).Reverse(), reversed.Model.CompletionOrder);
        Assert.Equal(inOrder.Proposals, reversed.Proposals);
        Assert.Equal(count, inOrder.Proposals.Count);
        for (var i = 0; i < count; i++)
        {
            Assert.StartsWith($"Proposal {i} for seed ", reversed.Proposals[i], StringComparison.Ordinal);
            Assert.Equal(inOrder.Model.Requests[i].Prompt, reversed.Model.Requests[i].Prompt);
            Assert.Equal(inOrder.Model.Requests[i].Seed, reversed.Model.Requests[i].Seed);
        }

        // Every random number was drawn before the first call went out, and none after.
        Assert.All(reversed.Model.DrawsAtCall, d => Assert.Equal(reversed.Random.Draws, d));
        Assert.True(reversed.Random.Draws > 0);
        Assert.Equal(count, inOrder.Statistics.Requested);
        Assert.Equal(count, inOrder.Statistics.MarkersRemoved);
    }

    [Fact]
    public async Task Requests_rotate_starting_prompts_and_edit_instructions_and_show_a_random_subset()
    {
        ProposalExample[] examples = Enumerable.Range(0, 8).Select(i => new ProposalExample($"Number: {i}", "yes", i % 2 == 1 ? "yes" : "no", i % 2 == 1)).ToArray();
        string[] starting = ["Current prompt.", "Remembered prompt.", "Older prompt."];
        var model = new GatedProposalModel(7, reverseCompletion: false, r => r.SampleIndex == 4 ? "  \n" : $"Proposal {r.SampleIndex}");
        var proposer = new PromptProposer(model, temperature: 0.7, maxTokens: 300, maxPromptCharacters: 4000, maxExamples: 5);

        var (proposals, statistics) = await proposer.ProposeAsync(starting, examples, 7, new Random(1), new CallPurpose(CallRole.Backward, 1));

        Assert.Equal(7, model.Requests.Count);
        for (var i = 0; i < 7; i++)
        {
            var request = model.Requests[i];
            Assert.Contains($"## Instruction\n> {starting[i % 3]}\n[END]", request.Prompt, StringComparison.Ordinal);
            Assert.Contains(MetaPrompt.EditInstruction(i), request.Prompt, StringComparison.Ordinal);
            Assert.Equal(5, Regex.Matches(request.Prompt, "## Input\n").Count);
            Assert.Equal(i, request.SampleIndex);
            Assert.Equal(0.7, request.Temperature);
            Assert.Equal(300, request.MaxTokens);
            Assert.Equal(MetaPrompt.StopSequences, request.StopSequences);
            Assert.Equal(new CallPurpose(CallRole.Backward, 1), request.Purpose);
        }

        Assert.Equal(7, model.Requests.Select(r => r.Seed).Distinct().Count());
        // Different requests show the examples in different orders.
        Assert.True(model.Requests.Select(r => string.Join(",", Regex.Matches(r.Prompt, @"Number: \d").Select(m => m.Value))).Distinct().Count() > 1);
        // The empty proposal is dropped and counted.
        Assert.Equal(["Proposal 0", "Proposal 1", "Proposal 2", "Proposal 3", "Proposal 5", "Proposal 6"], proposals);
        Assert.Equal(new ProposalStatistics(7, 1, 0, 0, 0), statistics);
    }

    [Fact]
    public async Task No_proposals_asked_means_no_calls()
    {
        var model = new GatedProposalModel(1, reverseCompletion: false, _ => "unused");
        var proposer = new PromptProposer(model);
        var (proposals, _) = await proposer.ProposeAsync(["p"], [Wrong], 0, new Random(1), default);
        Assert.Empty(proposals);
        Assert.Empty(model.Requests);
        await Assert.ThrowsAsync<ArgumentException>(() => proposer.ProposeAsync([], [Wrong], 1, new Random(1), default));
    }

    [GeneratedRegex(@"^# [^\n]*\n\n(?!## Input\n)", RegexOptions.Multiline)]
    private static partial Regex EmptySection();

    [GeneratedRegex(@"^## [^\n]*\n(?!> )", RegexOptions.Multiline)]
    private static partial Regex EmptyItemField();

    [GeneratedRegex(@"^ +$", RegexOptions.Multiline)]
    private static partial Regex BlankButSpaces();
}
