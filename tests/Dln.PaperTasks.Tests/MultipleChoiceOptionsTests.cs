namespace DeepLanguageNetworks.Paper.Tests;

public class MultipleChoiceOptionsTests
{
    private const string Question = "Today is 03/01/2020. What is the date tomorrow?\nPlease answer carefully.";

    private static readonly Example Item = new(
        Question + "\nOptions:\n(A) 03/02/2020\n(B) 02/29/2020\n(C) 03/03/2020\n(D) 01/01/2021",
        "(A)")
    {
        Source = "test[0]",
    };

    [Fact]
    public void Gold_option_text_stays_the_gold_answer_and_letters_are_reassigned_in_order()
    {
        var positions = new HashSet<char>();
        for (var seed = 0; seed < 40; seed++)
        {
            var shuffled = MultipleChoiceOptions.Shuffle(Item, new Random(seed));

            var lines = shuffled.Input.Split('\n');
            var optionLines = lines.SkipWhile(l => l != "Options:").Skip(1).ToArray();
            Assert.Equal(["(A)", "(B)", "(C)", "(D)"], optionLines.Select(l => l[..3]));
            Assert.Equal(["01/01/2021", "02/29/2020", "03/02/2020", "03/03/2020"], optionLines.Select(l => l[4..]).Order());

            Assert.Matches(@"^\([A-D]\)$", shuffled.Target);
            var goldLine = optionLines.Single(l => l.StartsWith(shuffled.Target, StringComparison.Ordinal));
            Assert.Equal("(X) 03/02/2020"[3..], goldLine[3..]);
            Assert.StartsWith(Question + "\nOptions:\n", shuffled.Input);
            Assert.Equal("test[0]", shuffled.Source);
            positions.Add(shuffled.Target[1]);
        }

        // Over 40 draws the gold answer must leave position (A); a shuffle that never moves it would fail here.
        Assert.True(positions.Count >= 3, $"gold positions seen: {string.Join(",", positions)}");
    }

    [Fact]
    public void Same_random_seed_gives_the_same_permutation()
    {
        Assert.Equal(MultipleChoiceOptions.Shuffle(Item, new Random(7)), MultipleChoiceOptions.Shuffle(Item, new Random(7)));
    }

    [Fact]
    public void Lines_after_the_options_and_target_format_are_kept()
    {
        var item = new Example("Pick one.\nOptions:\n(A) red\n(B) blue\n(C) green\nThink step by step.", "B");

        for (var seed = 0; seed < 10; seed++)
        {
            var shuffled = MultipleChoiceOptions.Shuffle(item, new Random(seed));
            Assert.EndsWith("\nThink step by step.", shuffled.Input);
            Assert.Matches("^[ABC]$", shuffled.Target);
            Assert.Contains($"({shuffled.Target}) blue", shuffled.Input);
        }
    }

    [Fact]
    public void Every_real_bbh_item_keeps_its_gold_text()
    {
        var random = new Random(1);
        foreach (var example in BbhLoader.Load(TestData.Bbh("logical_deduction_seven_objects")))
        {
            var shuffled = MultipleChoiceOptions.Shuffle(example, random);
            Assert.Equal(Gold(example), Gold(shuffled));
            Assert.Equal(OptionsBlock.Strip(example.Input), OptionsBlock.Strip(shuffled.Input));
        }
    }

    [Fact]
    public void Inputs_without_lettered_options_or_with_an_unknown_target_are_rejected()
    {
        var navigate = new Example("Go.\nOptions:\n- Yes\n- No", "Yes") { Source = "bbh/navigate.json[3]" };
        var noOptions = Assert.Throws<ArgumentException>(() => MultipleChoiceOptions.Shuffle(navigate, new Random(0)));
        Assert.Contains("bbh/navigate.json[3]", noOptions.Message);

        var noHeader = new Example("Pick (A) or (B).", "(A)");
        Assert.Throws<ArgumentException>(() => MultipleChoiceOptions.Shuffle(noHeader, new Random(0)));

        var outOfRange = Item with { Target = "(F)" };
        var targetError = Assert.Throws<ArgumentException>(() => MultipleChoiceOptions.Shuffle(outOfRange, new Random(0)));
        Assert.Contains("(F)", targetError.Message);
    }

    private static string Gold(Example example)
    {
        var letter = AnswerNormalizer.Normalize(example.Target).ToUpperInvariant();
        return example.Input.Split('\n').Single(l => l.StartsWith($"({letter})", StringComparison.Ordinal))[3..];
    }
}
