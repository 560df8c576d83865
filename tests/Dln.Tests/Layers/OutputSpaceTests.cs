namespace DeepLanguageNetworks.Tests.Layers;

public class OutputSpaceTests
{
    [Fact]
    public void Parse_takes_the_first_spelling_as_label_or_an_explicit_label()
    {
        var implicitLabel = OutputClass.Parse("yes|Yes");
        var explicitLabel = OutputClass.Parse("a=(A)| A |(A)");

        Assert.Equal("yes", implicitLabel.Label);
        Assert.Equal(["yes", "Yes"], implicitLabel.Verbalizers);
        Assert.Equal("a", explicitLabel.Label);
        Assert.Equal(["(A)", "A"], explicitLabel.Verbalizers); // trimmed, de-duplicated
        Assert.Equal("(A)", explicitLabel.Prototype);
        Assert.Equal("a=(A)|A", explicitLabel.ToString());
    }

    [Fact]
    public void A_class_needs_a_label_and_a_spelling()
    {
        Assert.Throws<ArgumentException>(() => new OutputClass(" ", ["x"]));
        var ex = Assert.Throws<ArgumentException>(() => new OutputClass("yes", ["", "  "]));
        Assert.Contains("'yes'", ex.Message);
    }

    [Fact]
    public void Classes_with_the_same_label_and_spellings_are_equal()
    {
        Assert.Equal(OutputClass.Parse("yes|Yes"), new OutputClass("yes", ["yes", "Yes"]));
        Assert.NotEqual(OutputClass.Parse("yes|Yes"), OutputClass.Parse("yes"));
    }

    [Fact]
    public void From_classes_validates_the_class_set()
    {
        Assert.Contains("at least two", Assert.Throws<ArgumentException>(() => OutputSpace.FromClasses("yes")).Message);
        Assert.Contains("'yes'", Assert.Throws<ArgumentException>(() => OutputSpace.FromClasses("yes|Yes", "yes=Y")).Message);
        var shared = Assert.Throws<ArgumentException>(() => OutputSpace.FromClasses("yes|ok", "no|ok"));
        Assert.Contains("'ok'", shared.Message);
    }

    [Fact]
    public void Free_text_and_classes_are_told_apart()
    {
        var free = OutputSpace.FreeText(64);
        var classes = OutputSpace.FromClasses("yes", "no");

        Assert.False(free.IsClassification);
        Assert.Equal(64, free.MaxTokens);
        Assert.True(classes.IsClassification);
        Assert.Throws<ArgumentOutOfRangeException>(() => OutputSpace.FreeText(0));
        Assert.Equal(OutputSpace.FromClasses("yes", "no"), classes);
        Assert.NotEqual(OutputSpace.FreeText(65), free);
    }

    [Theory]
    [InlineData("(B)", "b")]
    [InlineData("b", "b")]
    [InlineData(" B. because", "b")]
    [InlineData("Option C", "c")]
    [InlineData("(d)", null)]
    [InlineData("", null)]
    [InlineData("123", null)]
    public void Find_class_matches_labels_and_spellings_after_normalisation(string answer, string? expectedLabel)
    {
        var space = OutputSpace.FromClasses("a=(A)|A", "b=(B)|B", "c=(C)|C");

        Assert.Equal(expectedLabel, space.FindClass(answer)?.Label);
    }
}
