namespace DeepLanguageNetworks;

/// <summary>
/// A metric that calls a language model (a judge). The trainer gives it the run's pipeline around that model, so that
/// its calls are counted in the usage and budgets, cached, limited and traced like the layers' calls.
/// </summary>
internal interface IModelBackedMetric : IMetric
{
    /// <summary>The models the metric calls.</summary>
    IReadOnlyList<ILanguageModel> Models { get; }

    /// <summary>The requests one score makes to <see cref="Models"/> (for progress reports).</summary>
    int CallsPerScore { get; }

    /// <summary>The same metric calling <c>decorate(model)</c> instead of each of its models.</summary>
    IMetric WithModels(Func<ILanguageModel, ILanguageModel> decorate);
}
