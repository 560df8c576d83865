using DeepLanguageNetworks.Tests.Fakes;

namespace DeepLanguageNetworks.Tests.Training;

public class PermanentErrorTests
{
    // Permanent by its kind (a rejected key), or the same failure left unclassified: neither permanent nor transient.
    private static LanguageModelException RejectedKey(bool permanent) =>
        new("HTTP 401: the key was rejected") { Kind = permanent ? LanguageModelErrorKind.Authentication : LanguageModelErrorKind.Unknown };

    /// <summary>Answers like <see cref="HashingLanguageModel"/> until told to fail every call with a given error.</summary>
    private sealed class FailingAfterModel(HashingLanguageModel inner, Func<Exception?> failure) : DelegatingLanguageModel(inner)
    {
        public override Task<NextTokenResponse> GetNextTokenLogProbabilitiesAsync(NextTokenRequest request, CancellationToken cancellationToken = default) =>
            failure() is { } error ? Task.FromException<NextTokenResponse>(error) : base.GetNextTokenLogProbabilitiesAsync(request, cancellationToken);

        public override Task<GenerationResponse> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default) =>
            failure() is { } error ? Task.FromException<GenerationResponse>(error) : base.GenerateAsync(request, cancellationToken);
    }

    private static (Example[] Train, Example[] Dev) Data()
    {
        var all = Enumerable.Range(0, 60).Select(i => new Example($"Item {i}", i % 2 == 0 ? "yes" : "no")).ToArray();
        return (all[..40], all[40..]);
    }

    [Fact]
    public async Task A_permanent_backend_error_stops_training_at_once_with_the_checkpoint_of_the_last_good_state()
    {
        var folder = Directory.CreateTempSubdirectory("dln-permanent-");
        try
        {
            var iteration = 0;
            using var model = new FailingAfterModel(new HashingLanguageModel(), () => Volatile.Read(ref iteration) >= 2 ? RejectedKey(permanent: true) : null);
            var (train, dev) = Data();
            var checkpoint = Path.Combine(folder.FullName, "checkpoint.json");
            var options = VariationalTrainerOptions.Dln1 with { Iterations = 6, BatchSize = 6, PromptCandidates = 3 };
            var run = new TrainingRunOptions { MaxFailedIterations = 3, CheckpointPath = checkpoint };
            var progress = new SynchronousProgress(p => Volatile.Write(ref iteration, p.Iteration));

            var error = await Assert.ThrowsAsync<LanguageModelException>(() =>
                new VariationalTrainer(model, options, run).TrainAsync(Dln.CreateOneLayer(model, "Answer.", OutputSpace.FromClasses("yes", "no")), train, dev, progress));

            Assert.Contains("rejected", error.Message);
            var saved = await TrainingCheckpoint.LoadAsync(checkpoint);
            // No iteration was spent on the error budget: the failure ended the run where it happened.
            Assert.Equal(0, saved.FailedIterations);
            Assert.DoesNotContain(saved.History, h => h.Error is not null);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_failure_that_is_not_permanent_spends_the_error_budget_first()
    {
        var iteration = 0;
        using var model = new FailingAfterModel(new HashingLanguageModel(), () => Volatile.Read(ref iteration) >= 2 ? RejectedKey(permanent: false) : null);
        var (train, dev) = Data();
        var options = VariationalTrainerOptions.Dln1 with { Iterations = 8, BatchSize = 6, PromptCandidates = 3 };
        var run = new TrainingRunOptions { MaxFailedIterations = 2 };
        var progress = new SynchronousProgress(p => Volatile.Write(ref iteration, p.Iteration));

        var error = await Assert.ThrowsAsync<TrainingFailedException>(() =>
            new VariationalTrainer(model, options, run).TrainAsync(Dln.CreateOneLayer(model, "Answer.", OutputSpace.FromClasses("yes", "no")), train, dev, progress));

        var inner = Assert.IsType<LanguageModelException>(error.InnerException);
        Assert.False(inner.IsPermanent);
    }

    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
