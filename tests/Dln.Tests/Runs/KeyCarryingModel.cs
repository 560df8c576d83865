namespace DeepLanguageNetworks.Tests.Runs;

/// <summary>
/// A decorator holding an API key the way a hosted backend's client does (a field, a header value, a service), so a
/// test can check that nothing of the model object but its metadata reaches the run folder.
/// </summary>
internal sealed class KeyCarryingModel(ILanguageModel inner, string apiKey, string? endpoint) : DelegatingLanguageModel(inner)
{
    public string ApiKey { get; } = apiKey;

    public IReadOnlyDictionary<string, string> Headers { get; } = new Dictionary<string, string> { ["api-key"] = apiKey };

    public override LanguageModelMetadata Metadata => base.Metadata with { ProviderName = "azure-openai", Endpoint = endpoint };

    public override string ToString() => $"model with key {ApiKey}";

    protected override void Dispose(bool disposing)
    {
        // The inner model belongs to the test.
    }
}
