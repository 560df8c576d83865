namespace DeepLanguageNetworks.Samples;

/// <summary>The backend a sample runs on.</summary>
/// <param name="Model">The language model.</param>
/// <param name="Description">One line for the sample to print: backend, model and endpoint, never a key.</param>
public sealed record SelectedBackend(ILanguageModel Model, string Description);
