namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>Finding the continuation's tokens among echoed prompt tokens, over many random texts.</summary>
public sealed class ContinuationAlignerTests
{
    private static readonly string[] Words = ["the", "cat", "sat", "on", "a", "mat", "Yes", "no", "42", "é", "naïve", "(A)", "→", "🙂", "x"];
    private static readonly string[] Separators = [" ", "  ", "\n", "\n\n", " ", "\t"];

    [Fact]
    public void Tokens_that_spell_the_prompt_align_exactly_at_every_word_boundary()
    {
        var random = new Random(12345);
        for (var trial = 0; trial < 500; trial++)
        {
            var (context, continuation) = RandomSplit(random);
            var tokens = WordTokenizer.Split(context + continuation).ToList();
            var withBos = random.Next(2) == 0;
            if (withBos)
            {
                tokens.Insert(0, "<s>");
            }

            var first = ContinuationAligner.FindFirstContinuationToken(tokens, context, continuation);

            Assert.Equal(continuation, string.Concat(tokens.Skip(first)));
            Assert.Equal(context, string.Concat(tokens.Take(first).Skip(withBos ? 1 : 0)));
        }
    }

    [Fact]
    public void Tokens_without_their_leading_white_space_align_on_visible_characters()
    {
        var random = new Random(678);
        for (var trial = 0; trial < 500; trial++)
        {
            var (context, continuation) = RandomSplit(random);
            var spelled = WordTokenizer.Split(context + continuation);

            // What a SentencePiece tokenizer's one-token decoding gives: the word without its leading space.
            var stripped = spelled.Select(t => t.TrimStart()).ToList();
            var expectedFirst = spelled.Count - WordTokenizer.Split(continuation).Count;

            var first = ContinuationAligner.FindFirstContinuationToken(stripped, context, continuation);

            Assert.Equal(expectedFirst, first);
        }
    }

    [Fact]
    public void A_token_straddling_the_boundary_is_a_continuation_token_in_both_alignments()
    {
        string[] spelled = ["Answer", ":", " yes", "!"];
        string[] stripped = ["Answer", ":", "yes", "!"];

        Assert.Equal(2, ContinuationAligner.FindFirstContinuationToken(spelled, "Answer: ", "yes!"));
        Assert.Equal(2, ContinuationAligner.FindFirstContinuationToken(stripped, "Answer: ", "yes!"));
        Assert.Equal(1, ContinuationAligner.FindFirstContinuationToken(["Hel", "lo wor", "ld"], "Hello", " world"));
    }

    [Fact]
    public void Leading_white_space_tokens_of_the_continuation_are_included()
    {
        string[] tokens = ["Q", ":", "\n\n", "A"];

        Assert.Equal(2, ContinuationAligner.FindFirstContinuationToken(tokens, "Q:", "\n\nA"));
        Assert.Equal(3, ContinuationAligner.FindFirstContinuationToken(tokens, "Q:\n\n", "A"));

        // The same when the tokens do not spell the text exactly (a decoded BOS that is not a prefix, for instance).
        string[] noisy = ["<|begin|>", "Q", ":", "\n\n", "A"];
        Assert.Equal(3, ContinuationAligner.FindFirstContinuationToken(noisy, "Q:", "\n\nA"));
    }

    [Fact]
    public void Tokens_that_cannot_hold_the_continuation_are_reported()
    {
        Assert.Equal(-1, ContinuationAligner.FindFirstContinuationToken(["a", "b"], "a", " much longer text"));
        Assert.Equal(-1, ContinuationAligner.FindFirstContinuationToken([], "a", "b"));
    }

    [Theory]
    [InlineData("Ġworld", " world")]
    [InlineData("▁world", " world")]
    [InlineData("Ċ", "\n")]
    [InlineData("plain", "plain")]
    public void Byte_level_and_sentencepiece_markers_become_characters(string raw, string expected) =>
        Assert.Equal(expected, ContinuationAligner.NormalizeToken(raw));

    private static (string Context, string Continuation) RandomSplit(Random random)
    {
        var count = random.Next(2, 12);
        var text = Words[random.Next(Words.Length)];
        var boundaries = new List<int>();
        for (var i = 1; i < count; i++)
        {
            boundaries.Add(text.Length);
            text += Separators[random.Next(Separators.Length)] + Words[random.Next(Words.Length)];
        }

        // Cut right before a separator so that the continuation starts with white space, as DLN templates do.
        var cut = boundaries[random.Next(boundaries.Count)];
        return (text[..cut], text[cut..]);
    }
}
