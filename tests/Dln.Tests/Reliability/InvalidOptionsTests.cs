namespace DeepLanguageNetworks.Tests.Reliability;

/// <summary>
/// Every invalid option fails when it is set, naming the option (<see cref="ArgumentException.ParamName"/> and the
/// message), never later in the middle of a run. Cases already covered next to their classes are not repeated here.
/// </summary>
public class InvalidOptionsTests
{
    private static readonly Dictionary<string, Func<object>> Invalid = new()
    {
        // VariationalTrainerOptions
        ["Iterations = -1"] = () => new VariationalTrainerOptions { Iterations = -1 },
        ["BatchSize = 0"] = () => new VariationalTrainerOptions { BatchSize = 0 },
        ["BatchSize = -5"] = () => new VariationalTrainerOptions { BatchSize = -5 },
        ["PromptCandidates = 0"] = () => new VariationalTrainerOptions { PromptCandidates = 0 },
        ["HiddenSamples = 0"] = () => VariationalTrainerOptions.Dln2 with { HiddenSamples = 0 },
        ["BackwardTemperature = -0.1"] = () => new VariationalTrainerOptions { BackwardTemperature = -0.1 },
        ["BackwardTemperature = 2.5"] = () => new VariationalTrainerOptions { BackwardTemperature = 2.5 },
        ["BackwardTemperature = NaN"] = () => new VariationalTrainerOptions { BackwardTemperature = double.NaN },
        ["BackwardMaxTokens = 0"] = () => new VariationalTrainerOptions { BackwardMaxTokens = 0 },
        ["ValidationInterval = 0"] = () => new VariationalTrainerOptions { ValidationInterval = 0 },
        ["MemorySize = -1"] = () => new VariationalTrainerOptions { MemorySize = -1 },
        ["Patience = -2"] = () => new VariationalTrainerOptions { Patience = -2 },
        ["PosteriorTemperature = 0"] = () => new VariationalTrainerOptions { PosteriorTemperature = 0 },
        ["PosteriorTemperature = NaN"] = () => new VariationalTrainerOptions { PosteriorTemperature = double.NaN },
        ["PosteriorTemperature = +inf"] = () => new VariationalTrainerOptions { PosteriorTemperature = double.PositiveInfinity },
        ["HintSampleProbability = -0.1"] = () => new VariationalTrainerOptions { HintSampleProbability = -0.1 },
        ["HintSampleProbability = 1.5"] = () => new VariationalTrainerOptions { HintSampleProbability = 1.5 },
        ["TrustRegionFactor = -1"] = () => new VariationalTrainerOptions { TrustRegionFactor = -1 },
        ["TrustRegionFactor = NaN"] = () => new VariationalTrainerOptions { TrustRegionFactor = double.NaN },
        ["ExplorationPenalty = -0.5"] = () => new VariationalTrainerOptions { ExplorationPenalty = -0.5 },
        ["ExplorationPenalty = +inf"] = () => new VariationalTrainerOptions { ExplorationPenalty = double.PositiveInfinity },
        ["MaxPromptCharacters = 0"] = () => new VariationalTrainerOptions { MaxPromptCharacters = 0 },
        ["MaxExamplesInMetaPrompt = 0"] = () => new VariationalTrainerOptions { MaxExamplesInMetaPrompt = 0 },
        ["FewShotExamples = -1"] = () => new VariationalTrainerOptions { FewShotExamples = -1 },
        ["TrainedLayers = [-1]"] = () => new VariationalTrainerOptions { TrainedLayers = [0, -1] },

        // TrainingRunOptions
        ["MaxFailedIterations = -1"] = () => new TrainingRunOptions { MaxFailedIterations = -1 },
        ["MaxConcurrency = 0"] = () => new TrainingRunOptions { MaxConcurrency = 0 },
        ["RuntimeDecorators = 16"] = () => new TrainingRunOptions { RuntimeDecorators = (RuntimeDecorators)16 },

        // LanguageLayerOptions (the other out-of-range values are tested with the class)
        ["Temperature = +inf"] = () => new LanguageLayerOptions { Temperature = double.PositiveInfinity },
        ["TopLogProbabilities = -5"] = () => new LanguageLayerOptions { TopLogProbabilities = -5 },
        ["ContinuationBurnInRatio = NaN"] = () => new LanguageLayerOptions { ContinuationBurnInRatio = double.NaN },
        ["StopSequences = null"] = () => new LanguageLayerOptions { StopSequences = null! },

        // LanguageModelRetryOptions (zero and negative delays are tested with the class)
        ["MaxRetryAttempts = 101"] = () => new LanguageModelRetryOptions { MaxRetryAttempts = 101 },
        ["BaseDelay = -1 s"] = () => new LanguageModelRetryOptions { BaseDelay = TimeSpan.FromSeconds(-1) },
        ["MaxDelay = 0"] = () => new LanguageModelRetryOptions { MaxDelay = TimeSpan.Zero },
        ["AttemptTimeout = -1 ms"] = () => new LanguageModelRetryOptions { AttemptTimeout = TimeSpan.FromMilliseconds(-1) },
        ["IsTransient = null"] = () => new LanguageModelRetryOptions { IsTransient = null! },
        ["TimeProvider = null"] = () => new LanguageModelRetryOptions { TimeProvider = null! },

        // ConcurrencyLimitOptions (zero and negative limits are tested with the class)
        ["MaxConcurrency = -3"] = () => new ConcurrencyLimitOptions { MaxConcurrency = -3 },
        ["RequestsPerMinute = 0"] = () => new ConcurrencyLimitOptions { RequestsPerMinute = 0 },
        ["TokensPerMinute = -1"] = () => new ConcurrencyLimitOptions { TokensPerMinute = -1 },

        // DlnOptions
        ["ResidualTemplate = null"] = () => new DlnOptions { ResidualTemplate = null! },
        ["ResidualTemplate = {input} only"] = () => new DlnOptions { ResidualTemplate = new PromptTemplate("{input}", ["input"]) },
    };

    public static TheoryData<string> Cases => new(Invalid.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void An_invalid_option_fails_when_set_naming_the_option(string assignment)
    {
        var option = assignment[..assignment.IndexOf(" =", StringComparison.Ordinal)];

        var error = Assert.ThrowsAny<ArgumentException>(() => Invalid[assignment]());

        Assert.Equal(option, error.ParamName);
        Assert.Contains(option, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrainedLayers_outside_the_network_fail_before_any_call_naming_the_option_and_the_layers()
    {
        var model = new CountingLanguageModel();
        var network = Dln.CreateOneLayer(model, "p", OutputSpace.FreeText());
        Example[] data = [new("in", "out")];

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            new VariationalTrainer(model, new VariationalTrainerOptions { TrainedLayers = [0, 3] }).TrainAsync(network, data, data));

        Assert.Equal("TrainedLayers", error.ParamName);
        Assert.Contains("layer(s) 3", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, model.Started);
    }
}
