namespace DeepLanguageNetworks.LlamaSharp.Tests;

[CollectionDefinition(nameof(EnvironmentVariableCollection), DisableParallelization = true)]
public sealed class EnvironmentVariableCollection;

/// <summary>These tests set DLN_MODEL_PATH, so they run alone; no other test reads the variable.</summary>
[Collection(nameof(EnvironmentVariableCollection))]
public sealed class ModelPathResolutionTests : IDisposable
{
    private readonly string? _saved = Environment.GetEnvironmentVariable(LlamaSharpModelOptions.ModelPathEnvironmentVariable);

    [Fact]
    public void Without_a_path_or_variable_the_bundled_model_is_used()
    {
        Environment.SetEnvironmentVariable(LlamaSharpModelOptions.ModelPathEnvironmentVariable, null);

        using var model = LlamaSharpLanguageModel.LoadDefault(new LlamaSharpModelOptions { Threads = 1 });

        Assert.Equal(LlamaSharpLanguageModel.ExtractBundledModel(), model.ModelPath);
    }

    [Fact]
    public void The_environment_variable_is_used_and_a_missing_file_is_named()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"dln-missing-{Guid.NewGuid():N}.gguf");
        Environment.SetEnvironmentVariable(LlamaSharpModelOptions.ModelPathEnvironmentVariable, missing);

        var error = Assert.Throws<FileNotFoundException>(() => LlamaSharpLanguageModel.LoadDefault());

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("DLN_MODEL_PATH", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_explicit_path_wins_over_the_environment_variable()
    {
        var bundled = LlamaSharpLanguageModel.ExtractBundledModel();
        Environment.SetEnvironmentVariable(LlamaSharpModelOptions.ModelPathEnvironmentVariable, Path.Combine(Path.GetTempPath(), "elsewhere.gguf"));

        Assert.Equal(bundled, LlamaSharpLanguageModel.ResolveModelPath(bundled));
        using var model = LlamaSharpLanguageModel.LoadDefault(new LlamaSharpModelOptions { ModelPath = bundled, Threads = 1 });
        Assert.Equal(bundled, model.ModelPath);
    }

    public void Dispose() => Environment.SetEnvironmentVariable(LlamaSharpModelOptions.ModelPathEnvironmentVariable, _saved);
}
