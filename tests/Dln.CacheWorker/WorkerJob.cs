namespace DeepLanguageNetworks.CacheWorker;

/// <summary>What a worker trains: read from the JSON file named on its command line.</summary>
/// <param name="BaseUrl">The OpenAI-compatible server's API base, for example <c>http://127.0.0.1:41234/v1</c>.</param>
/// <param name="Redis">The Redis address (<c>redis://127.0.0.1:6400</c>), or <see langword="null"/> for no shared cache.</param>
/// <param name="Train">Training examples.</param>
/// <param name="Dev">Validation examples.</param>
public sealed record WorkerJob(Uri BaseUrl, string? Redis, IReadOnlyList<Example> Train, IReadOnlyList<Example> Dev);
