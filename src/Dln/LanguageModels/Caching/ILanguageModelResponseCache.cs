namespace DeepLanguageNetworks;

/// <summary>
/// A decorator that can answer requests without a backend call, asked through <see cref="ILanguageModel.GetService"/>
/// by decorators above it that must know in advance whether a call would cost anything (a usage budget lets a request
/// over the limit through when the cache holds its answer). The library's cache decorator implements it; for extension
/// authors: a cache of your own implements it too, so that decorators never depend on each other's concrete types.
/// </summary>
public interface ILanguageModelResponseCache
{
    /// <summary>Whether a response to <paramref name="request"/> is stored, so that sending it would be a cache hit.</summary>
    /// <param name="request">The request, of any operation.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns><see langword="true"/> when the cache would answer it; <see langword="false"/> for a miss or while the cache is bypassed.</returns>
    Task<bool> ContainsAsync(LanguageModelRequest request, CancellationToken cancellationToken = default);
}
