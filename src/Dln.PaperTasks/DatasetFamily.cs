namespace DeepLanguageNetworks.Paper;

/// <summary>The source collection a task comes from; it decides the file format, the input formatting and the split rule.</summary>
public enum DatasetFamily
{
    /// <summary>BIG-Bench-Hard: JSON files whose inputs already hold an <c>Options:</c> block; targets such as <c>(A)</c> or <c>Yes</c>.</summary>
    Bbh,

    /// <summary>Ordered-Prompt (Lu et al., 2022): JSON Lines <c>{"sentence", "label"}</c> with digit labels mapped to class names.</summary>
    OrderedPrompt,

    /// <summary>Leopard (Bansal et al., 2020): a JSON array of <c>{"sentence1", "label", "processed_sent"}</c> tweets.</summary>
    Leopard,
}
