using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;

namespace DeepLanguageNetworks;

/// <summary>
/// Adds the library's runtime decorators to a <see cref="LanguageModelBuilder"/>: cache, concurrency and rate
/// limits, retries, usage tracking, logging and telemetry.
/// </summary>
/// <remarks>
/// Decorators added first are outermost. The recommended order, which <see cref="UseDefaults"/> applies, is
/// logging → telemetry → usage tracking → cache → retry → concurrency limit → backend: usage tracking and telemetry
/// see cache hits and can tell them from spent calls; the cache answers before any retry or queueing; retries wait out their back-off without
/// holding a concurrency slot, and each retry is rate-limited like any call.
/// <code>
/// var tracker = new UsageTracker();
/// using ILanguageModel model = backend.AsBuilder()
///     .UseLogging(loggerFactory)
///     .UseTelemetry()
///     .UseUsageTracking(tracker)
///     .UseCache("runs/cache.db")
///     .UseRetry()
///     .UseConcurrencyLimit(requestsPerMinute: 500)
///     .Build();
/// </code>
/// </remarks>
public static class LanguageModelBuilderExtensions
{
    /// <summary>Adds a response cache over <paramref name="store"/> (the decorator does not dispose the store).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="store">Where responses are kept.</param>
    /// <param name="options">Cache settings; <see langword="null"/> for the defaults.</param>
    /// <param name="loggerFactory">Creates the logger for cache warnings.</param>
    /// <returns>The builder.</returns>
    public static LanguageModelBuilder UseCache(
        this LanguageModelBuilder builder, ILanguageModelCacheStore store, LanguageModelCacheOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(store);
        return builder.Use(inner => new CachingLanguageModel(inner, store, options, loggerFactory?.CreateLogger<CachingLanguageModel>()));
    }

    /// <summary>
    /// Adds a response cache kept in a SQLite file at <paramref name="databasePath"/>, with an in-memory copy of the
    /// 10,000 most recently added entries in front. The file is opened when the pipeline is built and closed when the
    /// model is disposed.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="databasePath">The cache file, created when absent (a corrupted one is set aside and replaced).</param>
    /// <param name="options">Cache settings; <see langword="null"/> for the defaults.</param>
    /// <param name="loggerFactory">Creates the loggers for cache warnings.</param>
    /// <returns>The builder.</returns>
    public static LanguageModelBuilder UseCache(
        this LanguageModelBuilder builder, string databasePath, LanguageModelCacheOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        return builder.Use(inner =>
        {
            var store = new TieredCacheStore(
                new InMemoryCacheStore(maxEntries: 10_000),
                new SqliteCacheStore(databasePath, loggerFactory?.CreateLogger<SqliteCacheStore>()),
                ownsStores: true);
            return new CachingLanguageModel(inner, store, options, loggerFactory?.CreateLogger<CachingLanguageModel>(), ownsStore: true);
        });
    }

    /// <summary>Adds a response cache kept in an <see cref="IDistributedCache"/> (Redis, SQL Server, …) shared by several machines.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="cache">The distributed cache.</param>
    /// <param name="options">Cache settings; <see langword="null"/> for the defaults.</param>
    /// <param name="loggerFactory">Creates the logger for cache warnings.</param>
    /// <returns>The builder.</returns>
    public static LanguageModelBuilder UseCache(
        this LanguageModelBuilder builder, IDistributedCache cache, LanguageModelCacheOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(cache);
        return builder.UseCache(new DistributedCacheStore(cache), options, loggerFactory);
    }

    /// <summary>Bounds the calls in flight and, optionally, the request and token rates.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="maxConcurrency">The most calls in flight, or <see langword="null"/> for the backend's <see cref="LanguageModelCapabilities.DefaultMaxConcurrency"/>.</param>
    /// <param name="requestsPerMinute">The most calls started per minute, or <see langword="null"/> for no limit.</param>
    /// <param name="tokensPerMinute">The most (estimated) tokens per minute, or <see langword="null"/> for no limit.</param>
    /// <param name="timeProvider">The clock of the rate limits; <see cref="TimeProvider.System"/> by default.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A limit is zero or negative.</exception>
    public static LanguageModelBuilder UseConcurrencyLimit(
        this LanguageModelBuilder builder, int? maxConcurrency = null, int? requestsPerMinute = null, int? tokensPerMinute = null, TimeProvider? timeProvider = null) =>
        builder.UseConcurrencyLimit(new ConcurrencyLimitOptions
        {
            MaxConcurrency = maxConcurrency,
            RequestsPerMinute = requestsPerMinute,
            TokensPerMinute = tokensPerMinute,
            TimeProvider = timeProvider ?? TimeProvider.System,
        });

    /// <summary>Bounds the calls in flight and, optionally, the request and token rates.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The limits.</param>
    /// <returns>The builder.</returns>
    public static LanguageModelBuilder UseConcurrencyLimit(this LanguageModelBuilder builder, ConcurrencyLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        return builder.Use(inner => new ConcurrencyLimitingLanguageModel(inner, options));
    }

    /// <summary>Retries transient failures with exponential back-off.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">Retry settings; <see langword="null"/> for the defaults.</param>
    /// <param name="loggerFactory">Creates the logger for retry warnings.</param>
    /// <returns>The builder.</returns>
    public static LanguageModelBuilder UseRetry(this LanguageModelBuilder builder, LanguageModelRetryOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new RetryingLanguageModel(inner, options, loggerFactory?.CreateLogger<RetryingLanguageModel>()));
    }

    /// <summary>Records calls, cache hits and tokens in <paramref name="tracker"/>, optionally refusing calls beyond a hard budget.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="tracker">Where usage is recorded; may be shared by several models.</param>
    /// <param name="hardLimit">A budget enforced before each call (throws <see cref="BudgetExceededException"/>), or <see langword="null"/> to only count.</param>
    /// <param name="loggerFactory">Creates the logger for refused calls.</param>
    /// <returns>The builder.</returns>
    public static LanguageModelBuilder UseUsageTracking(
        this LanguageModelBuilder builder, UsageTracker tracker, UsageBudget? hardLimit = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(tracker);
        return builder.Use(inner => new UsageTrackingLanguageModel(inner, tracker, hardLimit, loggerFactory?.CreateLogger<UsageTrackingLanguageModel>()));
    }

    /// <summary>Logs every call (Debug), prompts and responses (Trace) and failures (Warning).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="loggerFactory">Creates the logger.</param>
    /// <returns>The builder.</returns>
    public static LanguageModelBuilder UseLogging(this LanguageModelBuilder builder, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        return builder.Use(inner => new LoggingLanguageModel(inner, loggerFactory.CreateLogger<LoggingLanguageModel>()));
    }

    /// <summary>
    /// Traces every call as an OpenTelemetry span and records call, token, latency and cache-hit metrics on the
    /// <c>Dln</c> sources (see <see cref="Telemetry"/>). Never records prompt or response texts.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="timeProvider">The clock that measures durations; <see cref="TimeProvider.System"/> by default.</param>
    /// <returns>The builder.</returns>
    public static LanguageModelBuilder UseTelemetry(this LanguageModelBuilder builder, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new TelemetryLanguageModel(inner, timeProvider));
    }

    /// <summary>
    /// Sends continuation scoring to <paramref name="scorer"/> and every other call to the model below (see
    /// <see cref="ScoringRouterLanguageModel"/>): a chat API for generation, a vLLM completions endpoint or a local model
    /// for the teacher-forced scores that hidden layers need. The scorer is disposed with the pipeline.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="scorer">Scores continuations; must offer <see cref="LanguageModelOperation.ContinuationLogProbabilities"/>.</param>
    /// <returns>The builder.</returns>
    public static LanguageModelBuilder UseContinuationScoring(this LanguageModelBuilder builder, ILanguageModel scorer)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(scorer);
        return builder.Use(inner => new ScoringRouterLanguageModel(inner, scorer));
    }

    /// <summary>
    /// Adds the recommended runtime stack in the recommended order: logging (when <paramref name="loggerFactory"/> is
    /// given), telemetry, usage tracking (when <paramref name="tracker"/> is given), cache (when
    /// <paramref name="cacheStore"/> is given), retries with the default settings, and the backend's default concurrency limit.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="tracker">Records usage, or <see langword="null"/>.</param>
    /// <param name="cacheStore">Caches responses, or <see langword="null"/>.</param>
    /// <param name="loggerFactory">Logs calls and warnings, or <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    public static LanguageModelBuilder UseDefaults(
        this LanguageModelBuilder builder, UsageTracker? tracker = null, ILanguageModelCacheStore? cacheStore = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (loggerFactory is not null)
        {
            builder.UseLogging(loggerFactory);
        }

        builder.UseTelemetry();
        if (tracker is not null)
        {
            builder.UseUsageTracking(tracker, loggerFactory: loggerFactory);
        }

        if (cacheStore is not null)
        {
            builder.UseCache(cacheStore, loggerFactory: loggerFactory);
        }

        return builder.UseRetry(loggerFactory: loggerFactory).UseConcurrencyLimit();
    }
}
