using Microsoft.Extensions.Logging;

namespace DeepLanguageNetworks;

// Structured log messages of the trainer, with stable event ids (documented in README) so that logs can be filtered.
internal static partial class TrainerLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Training {Depth}-layer network: {Iterations} iterations, batch {BatchSize}, {Candidates} candidates, scoring {Scoring}, seed {Seed}")]
    public static partial void TrainingStarted(ILogger logger, int depth, int iterations, int batchSize, int candidates, OutputScoring scoring, int seed);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Iteration {Iteration}/{Total}: batch accuracy {BatchAccuracy:P1}, ELBO {Elbo}, calls {Calls}, tokens {Tokens}")]
    public static partial void IterationCompleted(ILogger logger, int iteration, int total, double batchAccuracy, double? elbo, long calls, long tokens);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Iteration {Iteration}: layer {Layer} keeps a {Origin} prompt (score {Score:F4}, current {Current:F4}, {Candidates} candidates)")]
    public static partial void LayerUpdated(ILogger logger, int iteration, int layer, string origin, double score, double current, int candidates);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Iteration {Iteration}: dev accuracy {DevAccuracy:P1} (best {BestDevAccuracy:P1})")]
    public static partial void Validated(ILogger logger, int iteration, double devAccuracy, double bestDevAccuracy);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Iteration {Iteration}: no improvement for {Patience} validations; restoring the best prompts (dev {BestDevAccuracy:P1})")]
    public static partial void Backtracked(ILogger logger, int iteration, int patience, double bestDevAccuracy);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Iteration {Iteration}: every batch item is correct; update skipped")]
    public static partial void UpdateSkipped(ILogger logger, int iteration);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "{Step} failed and was skipped ({Failures} failures so far, {Allowed} allowed): {Error}")]
    public static partial void StepFailed(ILogger logger, string step, int failures, int allowed, string error);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "Training finished after {Iterations} iterations: best dev accuracy {BestDevAccuracy:P1}")]
    public static partial void TrainingFinished(ILogger logger, int iterations, double bestDevAccuracy);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Warning, Message = "Training stopped early: {Reason}")]
    public static partial void TrainingStopped(ILogger logger, string reason);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "Resuming from checkpoint {Path} at iteration {Iteration}")]
    public static partial void Resumed(ILogger logger, string path, int iteration);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Warning, Message = "{Count} example(s) cannot fit the context window and are {Handling} (TrainingRunOptions.OverlongInputs): {Examples}")]
    public static partial void OverlongInputs(ILogger logger, int count, string handling, string examples);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Warning, Message = "Iteration {Iteration}: {Examples} example(s) left out and {Proposals} proposal(s) dropped because a request did not fit the context window")]
    public static partial void ContextOverflows(ILogger logger, int iteration, int examples, int proposals);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Warning, Message = "Iteration {Iteration}: {Examples} dev example(s) did not fit the context window; dev accuracy is over the other ones")]
    public static partial void DevContextOverflows(ILogger logger, int iteration, int examples);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Information, Message = "Iteration {Iteration}: validation stopped after {Items} dev items: the prompts cannot beat the best dev accuracy {BestDevAccuracy:P1}")]
    public static partial void ValidationStopped(ILogger logger, int iteration, int items, double bestDevAccuracy);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Debug, Message = "The pipeline of {Model} already has {Decorators}; the trainer adds none of those")]
    public static partial void DecoratorsKept(ILogger logger, string model, RuntimeDecorators decorators);
}
