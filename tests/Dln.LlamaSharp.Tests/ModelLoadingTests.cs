using Microsoft.Extensions.Logging;

namespace DeepLanguageNetworks.LlamaSharp.Tests;

public sealed class ModelLoadingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dln-llama-tests-").FullName;

    [Fact]
    public void A_missing_model_file_gives_FileNotFoundException_naming_the_path()
    {
        var path = Path.Combine(_folder, "no-such-model.gguf");

        var error = Assert.Throws<FileNotFoundException>(() => new LlamaSharpLanguageModel(new LlamaSharpModelOptions { ModelPath = path }));

        Assert.Equal(path, error.FileName);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_of_random_bytes_gives_a_clear_error_naming_the_path()
    {
        var path = Path.Combine(_folder, "random.gguf");
        File.WriteAllBytes(path, [0x13, 0x37, 0x00, 0xFF, 0x42, 0x42, 0x10, 0x01, 0x99]);

        var error = Assert.Throws<InvalidDataException>(() => new LlamaSharpLanguageModel(new LlamaSharpModelOptions { ModelPath = path }));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("GGUF", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_gguf_file_gives_a_clear_error_naming_the_path()
    {
        var path = Path.Combine(_folder, "truncated.gguf");
        var bytes = File.ReadAllBytes(LlamaSharpLanguageModel.ExtractBundledModel());
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<InvalidDataException>(() => new LlamaSharpLanguageModel(new LlamaSharpModelOptions { ModelPath = path }));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public void Options_out_of_range_throw_naming_the_option()
    {
        Assert.Equal("ContextSize", Assert.Throws<ArgumentOutOfRangeException>(() => new LlamaSharpModelOptions { ContextSize = 2 }).ParamName);
        Assert.Equal("BatchSize", Assert.Throws<ArgumentOutOfRangeException>(() => new LlamaSharpModelOptions { BatchSize = 0 }).ParamName);
        Assert.Equal("Threads", Assert.Throws<ArgumentOutOfRangeException>(() => new LlamaSharpModelOptions { Threads = 0 }).ParamName);
        Assert.Equal("MaxSequencesPerBatch", Assert.Throws<ArgumentOutOfRangeException>(() => new LlamaSharpModelOptions { MaxSequencesPerBatch = 256 }).ParamName);
        var error = Assert.Throws<ArgumentException>(() => new LlamaSharpLanguageModel(new LlamaSharpModelOptions()));
        Assert.Contains("ModelPath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_resolved_settings_are_reported_and_a_disposed_model_refuses_calls()
    {
        var model = new LlamaSharpLanguageModel(new LlamaSharpModelOptions { ModelPath = LlamaSharpLanguageModel.ExtractBundledModel(), Threads = 1 });
        Assert.Equal(2048, model.Options.ContextSize);
        Assert.Equal(128, model.Options.BatchSize);
        Assert.Equal(32, model.Capabilities.DefaultMaxConcurrency);

        model.Dispose();
        model.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => model.ScoreContinuationAsync(new ContinuationRequest("a", "b")));
    }

    [Fact]
    public void The_bundled_model_is_extracted_intact_and_repaired_when_damaged()
    {
        var path = LlamaSharpLanguageModel.ExtractBundledModel(_folder);
        Assert.Equal(Path.Combine(_folder, "stories260K.gguf"), path);
        Assert.Equal(1_185_376, new FileInfo(path).Length);

        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Equal(path, LlamaSharpLanguageModel.ExtractBundledModel(_folder));
        Assert.Equal(File.ReadAllBytes(LlamaSharpLanguageModel.ExtractBundledModel()), File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task Llama_cpp_messages_go_to_the_logger_when_one_is_given()
    {
        var logger = new CollectingLogger();
        using var model = new LlamaSharpLanguageModel(new LlamaSharpModelOptions { ModelPath = LlamaSharpLanguageModel.ExtractBundledModel(), Threads = 1 }, logger);
        await model.ScoreContinuationAsync(new ContinuationRequest("Once", " upon"));

        Assert.Contains(logger.Messages, m => m.Contains("llama.cpp:", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private sealed class CollectingLogger : ILogger
    {
        private readonly List<string> _messages = [];

        public IReadOnlyList<string> Messages
        {
            get
            {
                lock (_messages)
                {
                    return [.. _messages];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_messages)
            {
                _messages.Add(formatter(state, exception));
            }
        }
    }
}
