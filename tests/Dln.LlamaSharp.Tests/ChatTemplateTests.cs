using Microsoft.Extensions.Logging;

namespace DeepLanguageNetworks.LlamaSharp.Tests;

/// <summary>
/// Chat templates on a copy of the bundled model whose metadata gains a <c>tokenizer.chat_template</c> (stories260K has
/// none): generation applies it by default, the option turns it off, scoring never applies it.
/// </summary>
public sealed class ChatTemplateTests : IDisposable
{
    // The ChatML template as instruct models ship it (Jinja); llama.cpp recognises the format by its markup.
    private const string ChatMLTemplate =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    private const string Prompt = "Write a story about a cat.";
    private const string ChatMLPrompt = "<|im_start|>user\nWrite a story about a cat.<|im_end|>\n<|im_start|>assistant\n";

    // tokenizer.ggml.eos_token_id of stories260K.
    private const int EndOfSequenceToken = 2;

    private readonly string _folder = Directory.CreateTempSubdirectory("dln-chat-template-").FullName;
    private readonly string _bundled = LlamaSharpLanguageModel.ExtractBundledModel();

    [Fact]
    public void The_bundled_model_has_no_template_and_generation_reads_the_raw_prompt()
    {
        using var model = Load(_bundled);

        Assert.Null(model.ChatTemplate);
        Assert.Equal(Prompt, model.FormatGenerationPrompt(Prompt));
    }

    [Fact]
    public async Task A_template_in_the_file_is_applied_to_generation_prompts_by_default()
    {
        using var templated = Load(WithTemplate(ChatMLTemplate));
        using var plain = Load(_bundled);

        Assert.Equal(ChatMLTemplate, templated.ChatTemplate);
        Assert.Equal(ChatMLPrompt, templated.FormatGenerationPrompt(Prompt));

        var request = new GenerationRequest(Prompt) { MaxTokens = 24 };
        var response = await templated.GenerateAsync(request);

        // What reached the model is the templated text: the same tokens, and the same greedy output, as the raw model
        // given the templated text itself.
        var expected = await plain.GenerateAsync(request with { Prompt = ChatMLPrompt });
        Assert.NotEmpty(response.Text);
        Assert.Equal(expected.Text, response.Text);
        Assert.Equal(templated.CountTokens(ChatMLPrompt), response.Usage.InputTokens);
        Assert.NotEqual(templated.CountTokens(Prompt), response.Usage.InputTokens);
        Assert.NotEqual((await plain.GenerateAsync(request)).Text, response.Text);
    }

    [Fact]
    public async Task With_the_option_off_generation_reads_the_raw_prompt()
    {
        using var model = Load(WithTemplate(ChatMLTemplate), applyChatTemplate: false);
        using var plain = Load(_bundled);

        Assert.Null(model.ChatTemplate);
        Assert.Equal(Prompt, model.FormatGenerationPrompt(Prompt));
        var request = new GenerationRequest(Prompt) { MaxTokens = 24 };
        var response = await model.GenerateAsync(request);

        Assert.Equal(model.CountTokens(Prompt), response.Usage.InputTokens);
        Assert.Equal((await plain.GenerateAsync(request)).Text, response.Text);
    }

    [Fact]
    public async Task Scoring_reads_the_raw_text_whatever_the_template()
    {
        using var templated = Load(WithTemplate(ChatMLTemplate));
        using var plain = Load(_bundled);
        var continuation = new ContinuationRequest("Answer:\n", "positive");
        var next = new NextTokenRequest("Once upon a", 5);

        var a = await templated.ScoreContinuationAsync(continuation);
        var b = await plain.ScoreContinuationAsync(continuation);
        var c = await templated.GetNextTokenLogProbabilitiesAsync(next);
        var d = await plain.GetNextTokenLogProbabilitiesAsync(next);

        Assert.Equal(b.Tokens, a.Tokens);
        Assert.Equal(b.Usage, a.Usage);
        Assert.Equal(d.TopTokens, c.TopTokens);
    }

    [Fact]
    public async Task Markup_inside_the_prompt_stays_plain_text()
    {
        // "</s>" is stories260K's end-of-sequence token: read as special, the prompt would carry an EOS in its middle.
        using var model = Load(WithTemplate(ChatMLTemplate));
        const string withMarkup = "The end.</s>Then a dog came.";

        var tokens = model.TokenizeGenerationPrompt(withMarkup);
        var response = await model.GenerateAsync(new GenerationRequest(withMarkup) { MaxTokens = 8 });

        Assert.DoesNotContain(EndOfSequenceToken, tokens);
        Assert.Equal(tokens.Length, response.Usage.InputTokens);
        Assert.Equal(8, response.Usage.OutputTokens);
    }

    [Fact]
    public void A_template_llama_cpp_does_not_recognise_is_reported_and_not_applied()
    {
        var logger = new CollectingLogger();
        using var model = new LlamaSharpLanguageModel(new LlamaSharpModelOptions { ModelPath = WithTemplate("{{ not_a_chat_format }}"), Threads = 2 }, logger);

        Assert.Null(model.ChatTemplate);
        Assert.Equal(Prompt, model.FormatGenerationPrompt(Prompt));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("chat template", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static LlamaSharpLanguageModel Load(string path, bool applyChatTemplate = true) =>
        new(new LlamaSharpModelOptions { ModelPath = path, Threads = 2, ApplyChatTemplate = applyChatTemplate });

    private string WithTemplate(string template)
    {
        var path = Path.Combine(_folder, $"stories260K-{Guid.NewGuid():N}.gguf");
        GgufMetadataRewriter.WriteWithString(_bundled, path, "tokenizer.chat_template", template);
        return path;
    }

    private sealed class CollectingLogger : ILogger
    {
        private readonly List<(LogLevel Level, string Message)> _entries = [];

        public IReadOnlyList<(LogLevel Level, string Message)> Entries
        {
            get
            {
                lock (_entries)
                {
                    return [.. _entries];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_entries)
            {
                _entries.Add((logLevel, formatter(state, exception)));
            }
        }
    }
}
