namespace DeepLanguageNetworks;

/// <summary>What a network produced for one input.</summary>
/// <param name="Output">The output layer's text (for classification: the predicted class's spelling).</param>
/// <param name="HiddenOutputs">The text each hidden layer wrote, in layer order (empty for one layer; see <see cref="Outputs"/> for the outputs by node name).</param>
/// <param name="Usage">Tokens consumed by all layers.</param>
public sealed record DlnResult(string Output, IReadOnlyList<string> HiddenOutputs, LanguageModelUsage Usage)
{
    /// <summary>The output layer's class distribution, when it is a classification layer scored by log-probabilities.</summary>
    public ClassDistribution? Distribution { get; init; }

    /// <summary>The predicted class, for a classification output layer (null when a generated answer matched no class).</summary>
    public OutputClass? PredictedClass { get; init; }

    /// <summary>The inputs each layer read, in layer order (useful to show what the model saw).</summary>
    public IReadOnlyList<string> LayerInputs { get; init; } = [];

    /// <summary>Which hidden outputs hit the token limit and may be truncated, in layer order.</summary>
    public IReadOnlyList<bool> HiddenTruncated { get; init; } = [];

    /// <summary>Every node's output by node name (<see cref="DlnNode.Name"/>), the output node's included.</summary>
    public IReadOnlyDictionary<string, string> Outputs { get; init; } = new Dictionary<string, string>();
}
