namespace DeepLanguageNetworks.Tests.Data;

public class OptionsBlockTests
{
    [Fact]
    public void Strip_cuts_at_the_options_line()
    {
        Assert.Equal("Which sentence is right:", OptionsBlock.Strip("Which sentence is right:\nOptions:\n(A) x\n(B) y"));
        Assert.Equal("A tweet.", OptionsBlock.Strip("A tweet.  \n  Options:  \n- no\n- yes"));
        Assert.Equal(string.Empty, OptionsBlock.Strip("Options:\n- a"));
    }

    [Fact]
    public void Strip_only_matches_a_whole_options_line_and_leaves_other_inputs_unchanged()
    {
        const string inline = "Options: (A) x or (B) y\nPick one.";
        Assert.Equal(inline, OptionsBlock.Strip(inline));
        Assert.False(OptionsBlock.HasOptions(inline));

        const string twice = "Q\nOptions:\n- a\nOptions:\n- b";
        Assert.Equal("Q", OptionsBlock.Strip(twice));
        Assert.True(OptionsBlock.HasOptions(twice));
    }}
