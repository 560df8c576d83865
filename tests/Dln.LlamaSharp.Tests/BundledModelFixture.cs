namespace DeepLanguageNetworks.LlamaSharp.Tests;

/// <summary>One model on the bundled stories260K, shared by the tests of a class.</summary>
public sealed class BundledModelFixture : IDisposable
{
    public BundledModelFixture()
    {
        ModelPath = LlamaSharpLanguageModel.ExtractBundledModel();
        Model = new LlamaSharpLanguageModel(Options());
    }

    /// <summary>The path of the extracted bundled model.</summary>
    public string ModelPath { get; }

    /// <summary>A model with the default settings (batching and prefix reuse on).</summary>
    public LlamaSharpLanguageModel Model { get; }

    /// <summary>Settings for another model on the same file; two threads keep parallel test classes from oversubscribing CI.</summary>
    public LlamaSharpModelOptions Options() => new() { ModelPath = ModelPath, Threads = 2 };

    public void Dispose() => Model.Dispose();
}
