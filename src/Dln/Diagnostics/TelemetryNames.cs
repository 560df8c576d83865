namespace DeepLanguageNetworks;

// Span, attribute and instrument names in one place, so the trainer, the decorator, the docs and the tests agree.
// GenAI names follow OpenTelemetry's semantic conventions for generative AI clients.
internal static class TelemetryNames
{
    public const string TrainSpan = "dln.train";
    public const string IterationSpan = "dln.iteration";
    public const string ForwardSpan = "dln.forward";
    public const string PosteriorSpan = "dln.posterior";
    public const string ProposeSpan = "dln.propose";
    public const string ScoreSpan = "dln.score";
    public const string ValidateSpan = "dln.validate";

    public const string OperationName = "gen_ai.operation.name";
    public const string ProviderName = "gen_ai.provider.name";
    public const string RequestModel = "gen_ai.request.model";
    public const string RequestTemperature = "gen_ai.request.temperature";
    public const string RequestMaxTokens = "gen_ai.request.max_tokens";
    public const string RequestTopP = "gen_ai.request.top_p";
    public const string RequestTopK = "gen_ai.request.top_k";
    public const string RequestSeed = "gen_ai.request.seed";
    public const string ResponseFinishReasons = "gen_ai.response.finish_reasons";
    public const string UsageInputTokens = "gen_ai.usage.input_tokens";
    public const string UsageOutputTokens = "gen_ai.usage.output_tokens";
    public const string TokenType = "gen_ai.token.type";
    public const string ErrorType = "error.type";
    public const string ServerAddress = "server.address";
    public const string ServerPort = "server.port";

    public const string TextCompletion = "text_completion";
    public const string NextTokenLogProbabilities = "next_token_logprobs";
    public const string ScoreContinuation = "score_continuation";

    public const string CallRole = "dln.call.role";
    public const string CallLayer = "dln.call.layer";
    public const string CacheHit = "dln.cache.hit";
    public const string Iteration = "dln.iteration";
    public const string Layer = "dln.layer";
    public const string Node = "dln.node";

    public const string CallsCounter = "dln.calls";
    public const string CacheHitsCounter = "dln.cache.hits";
    public const string TokenUsageHistogram = "gen_ai.client.token.usage";
    public const string OperationDurationHistogram = "gen_ai.client.operation.duration";
}
