namespace DeepLanguageNetworks;

/// <summary>
/// Tells a request that did not fit the model's context window (a <see cref="LanguageModelException"/> of kind
/// <see cref="LanguageModelErrorKind.ContextLengthExceeded"/>, from any backend) from other failures, so that the
/// trainer and the evaluation drop the one example it concerns and go on.
/// </summary>
internal static class ContextOverflow
{
    /// <summary>Whether <paramref name="error"/> says the request did not fit the context window.</summary>
    public static bool Is(Exception error) => error is LanguageModelException { Kind: LanguageModelErrorKind.ContextLengthExceeded };

    /// <summary>Runs one call; an overflow gives <c>Fits = false</c> instead of an exception, any other failure propagates.</summary>
    /// <typeparam name="T">The call's result.</typeparam>
    /// <param name="call">Starts the call.</param>
    /// <returns>Whether it fitted, and its result when it did.</returns>
    public static async Task<Fitted<T>> TryAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return new Fitted<T>(true, await call().ConfigureAwait(false));
        }
        catch (LanguageModelException ex) when (ex.Kind == LanguageModelErrorKind.ContextLengthExceeded)
        {
            return default;
        }
    }
}

/// <summary>The result of a call that may not have fitted the context window.</summary>
/// <typeparam name="T">The call's result.</typeparam>
/// <param name="Fits">Whether the request fitted (and so <paramref name="Value"/> is set).</param>
/// <param name="Value">The result; the default when the request did not fit.</param>
internal readonly record struct Fitted<T>(bool Fits, T Value);
