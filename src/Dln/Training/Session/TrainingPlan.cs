namespace DeepLanguageNetworks;

/// <summary>
/// The options resolved against one network, before any call: how the output layer is scored, whether an all-correct
/// batch skips its update, and which layers are trained. Creating the plan refuses a backend that lacks an operation
/// the run needs, and layer numbers the network does not have.
/// </summary>
/// <param name="Scoring">The output scoring in use (<see cref="OutputScoring.Auto"/> resolved).</param>
/// <param name="SkipUpdateWhenBatchCorrect">Whether an all-correct batch skips its update.</param>
/// <param name="TrainedLayers">The layers whose prompts are learned.</param>
internal sealed record TrainingPlan(OutputScoring Scoring, bool SkipUpdateWhenBatchCorrect, IReadOnlySet<int> TrainedLayers)
{
    public bool Trains(int layer) => TrainedLayers.Contains(layer);

    public static TrainingPlan Create(Dln network, ILanguageModel backwardModel, VariationalTrainerOptions options)
    {
        var scoring = ResolveScoring(network, backwardModel, options);
        var trained = (options.TrainedLayers ?? Enumerable.Range(0, network.Depth)).ToHashSet();
        var invalid = trained.Where(l => l >= network.Depth).Order().ToArray();
        if (invalid.Length > 0)
        {
            throw new ArgumentOutOfRangeException(nameof(VariationalTrainerOptions.TrainedLayers), $"TrainedLayers names layer(s) {string.Join(", ", invalid)}, but the network has layers 0..{network.Depth - 1}.");
        }

        // The paper's rule: an all-correct batch carries no signal for accuracy, and hidden layers have no error to
        // learn from; a one-layer network scored by log-probabilities can still raise the targets' likelihood.
        var skip = options.SkipUpdateWhenBatchCorrect ?? (scoring == OutputScoring.Accuracy || network.Depth > 1);
        return new TrainingPlan(scoring, skip, trained);
    }

    private static OutputScoring ResolveScoring(Dln network, ILanguageModel backwardModel, VariationalTrainerOptions options)
    {
        var output = network.OutputLayer;
        var needed = output.OutputSpace.IsClassification ? output.ClassScoringOperation : LanguageModelOperation.ContinuationLogProbabilities;
        var outputHasLogProbabilities = output.Model.Capabilities.Supports(needed);
        var scoring = options.OutputScoring == OutputScoring.Auto
            ? outputHasLogProbabilities ? OutputScoring.LogProbabilities : OutputScoring.Accuracy
            : options.OutputScoring;

        if (scoring == OutputScoring.LogProbabilities && !outputHasLogProbabilities)
        {
            throw new NotSupportedException(
                $"Cannot train: the output layer ({(network.IsStack ? string.Empty : $"node \"{network.OutputNode.Name}\", ")}layer {network.Depth - 1}) scores candidates by log-probabilities. " +
                LanguageModelCapabilities.DescribeMissing(needed, output.Model.Metadata.ToString()));
        }

        // Hidden texts are latent: their posterior weights and the hidden layers' objective score given texts.
        for (var l = 0; l < network.Depth - 1; l++)
        {
            var model = network.Layers[l].Model;
            if (!model.Capabilities.ContinuationLogProbabilities)
            {
                var what = network.IsStack
                    ? $"Cannot train a {network.Depth}-layer network: hidden layer {l}"
                    : $"Cannot train the graph: hidden node \"{network.Nodes[l].Name}\" (layer {l})";
                throw new NotSupportedException(
                    $"{what} needs its hidden texts scored by teacher forcing. " +
                    LanguageModelCapabilities.DescribeMissing(LanguageModelOperation.ContinuationLogProbabilities, model.Metadata.ToString()));
            }
        }

        if (network.Depth > 1 && options.PosteriorCorrectsForProposal && !backwardModel.Capabilities.SampledTokenLogProbabilities)
        {
            throw new NotSupportedException(
                $"PosteriorCorrectsForProposal needs log q of each posterior sample. " +
                LanguageModelCapabilities.DescribeMissing(LanguageModelOperation.SampledTokenLogProbabilities, backwardModel.Metadata.ToString()));
        }

        backwardModel.Capabilities.Require(LanguageModelOperation.Generation, backwardModel.Metadata.ToString());
        return scoring;
    }
}
