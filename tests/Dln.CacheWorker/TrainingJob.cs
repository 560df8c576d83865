using DeepLanguageNetworks.OpenAI;
using Microsoft.Extensions.Logging;

namespace DeepLanguageNetworks.CacheWorker;

/// <summary>
/// The one training run of the shared-cache tests, so that the worker processes and the tests' in-process runs train
/// with exactly the same settings: DLN-1 on yes/no answers through the OpenAI chat backend, the paper's settings scaled
/// down (6 iterations, batches of 10, 6 candidates).
/// </summary>
public static class TrainingJob
{
    /// <summary>The model name sent to the server.</summary>
    public const string ModelName = "gpt-test";

    /// <summary>The prompt training starts from.</summary>
    public const string InitialPrompt = "Answer the question.";

    /// <summary>Trains a fresh network and reports what it learned and spent.</summary>
    /// <param name="baseUrl">The OpenAI-compatible server's API base.</param>
    /// <param name="apiKey">The key sent in the Authorization header.</param>
    /// <param name="cache">The shared cache, or <see langword="null"/> for the trainer's run-scoped in-memory cache.</param>
    /// <param name="train">Training examples.</param>
    /// <param name="dev">Validation examples.</param>
    /// <param name="logger">Receives the backend's and the trainer's warnings.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The training result.</returns>
    public static async Task<TrainingResult> RunAsync(
        Uri baseUrl, string? apiKey, ILanguageModelCacheStore? cache, IReadOnlyList<Example> train, IReadOnlyList<Example> dev,
        ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        using var model = OpenAIChatLanguageModel.ForCompatibleServer(baseUrl, ModelName, apiKey, new OpenAIChatLanguageModelOptions
        {
            Retry = new LanguageModelRetryOptions { MaxRetryAttempts = 1, BaseDelay = TimeSpan.FromMilliseconds(1), AttemptTimeout = TimeSpan.FromSeconds(30) },
        }, logger);
        var network = Dln.CreateOneLayer(model, InitialPrompt, OutputSpace.FromClasses("yes|Yes", "no|No"));
        var options = VariationalTrainerOptions.Dln1 with
        {
            Iterations = 6,
            BatchSize = 10,
            PromptCandidates = 6,
        };
        var run = new TrainingRunOptions
        {
            CacheStore = cache,
            Retry = new LanguageModelRetryOptions { MaxRetryAttempts = 1, BaseDelay = TimeSpan.FromMilliseconds(1) },
        };
        return await new VariationalTrainer(model, options, run, logger).TrainAsync(network, train, dev, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
