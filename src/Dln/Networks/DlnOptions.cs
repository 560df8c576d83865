namespace DeepLanguageNetworks;

/// <summary>How the layers of a <see cref="Dln"/> are wired.</summary>
public sealed record DlnOptions
{
    private readonly PromptTemplate _residualTemplate = LayerTemplates.Residual;

    /// <summary>
    /// Residual connections: layer k+1 reads the original input followed by layer k's output (through
    /// <see cref="ResidualTemplate"/>) instead of layer k's output alone. On by default, as in the paper's DLN-2.
    /// </summary>
    public bool ResidualConnections { get; init; } = true;

    /// <summary>
    /// Cut the "Options:" block from the original input where hidden layers read it, so that reasoning is not
    /// anchored on the option letters. The output layer always sees the full input. Off by default; the paper's
    /// DLN-2 BBH runs turned it on.
    /// </summary>
    public bool StripOptionsForHiddenLayers { get; init; }

    /// <summary>The template joining the original input (<c>{input}</c>) and the previous layer's output (<c>{hidden}</c>); it must use both and no other placeholder.</summary>
    public PromptTemplate ResidualTemplate
    {
        get => _residualTemplate;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(ResidualTemplate));
            var missing = new[] { LayerTemplates.InputPlaceholder, LayerTemplates.HiddenPlaceholder }.Where(p => !value.Placeholders.Contains(p)).ToArray();
            if (missing.Length > 0)
            {
                throw new ArgumentException(
                    $"The residual template must contain {{input}} and {{hidden}}; missing: {string.Join(", ", missing.Select(m => "{" + m + "}"))}.", nameof(ResidualTemplate));
            }

            // Only {input} and {hidden} are filled when wiring layers; another placeholder would fail on every call.
            var unfillable = value.Placeholders.Where(p => p is not LayerTemplates.InputPlaceholder and not LayerTemplates.HiddenPlaceholder).ToArray();
            if (unfillable.Length > 0)
            {
                throw new ArgumentException(
                    $"The residual template may only use {{input}} and {{hidden}}; it also uses {string.Join(", ", unfillable.Select(m => "{" + m + "}"))}.", nameof(ResidualTemplate));
            }

            _residualTemplate = value;
        }
    }
}
