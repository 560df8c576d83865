namespace DeepLanguageNetworks;

/// <summary>The price of a model's tokens, in any currency (used consistently within one <see cref="PriceTable"/>).</summary>
public sealed record ModelPrice
{
    /// <summary>Creates a price.</summary>
    /// <param name="inputPerMillionTokens">Price of one million input (prompt) tokens. Must not be negative.</param>
    /// <param name="outputPerMillionTokens">Price of one million output (generated) tokens. Must not be negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">A price is negative.</exception>
    public ModelPrice(decimal inputPerMillionTokens, decimal outputPerMillionTokens)
    {
        if (inputPerMillionTokens < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(inputPerMillionTokens), inputPerMillionTokens, "The price of input tokens must not be negative.");
        }

        if (outputPerMillionTokens < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(outputPerMillionTokens), outputPerMillionTokens, "The price of output tokens must not be negative.");
        }

        InputPerMillionTokens = inputPerMillionTokens;
        OutputPerMillionTokens = outputPerMillionTokens;
    }

    /// <summary>Price of one million input (prompt) tokens.</summary>
    public decimal InputPerMillionTokens { get; }

    /// <summary>Price of one million output (generated) tokens.</summary>
    public decimal OutputPerMillionTokens { get; }

    /// <summary>The price of <paramref name="usage"/>.</summary>
    /// <param name="usage">Tokens consumed.</param>
    /// <returns>The cost.</returns>
    public decimal CostOf(LanguageModelUsage usage) =>
        ((usage.InputTokens * InputPerMillionTokens) + (usage.OutputTokens * OutputPerMillionTokens)) / 1_000_000m;
}
