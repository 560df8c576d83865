using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace DeepLanguageNetworks.Tests;

/// <summary>
/// Gives a model a small context window, as a test double: one token per word (plus one for the start of a text), the
/// window reported in <see cref="LanguageModelCapabilities.ContextLength"/>, and a request that does not fit refused
/// with a <see cref="LanguageModelException"/> of kind <see cref="LanguageModelErrorKind.ContextLengthExceeded"/>, as
/// the local backend and a hosted HTTP 400 do. A generation needs room for its <see cref="GenerationRequest.MaxTokens"/>.
/// With <c>countsTokens: false</c> it offers no <see cref="ILanguageModelTokenizer"/>, like a hosted backend, so an
/// overflow is found only when the call is made.
/// </summary>
internal sealed partial class ContextWindowModel : DelegatingLanguageModel
{
    private readonly Tokenizer? _tokenizer;
    private long _overflows;

    public ContextWindowModel(ILanguageModel inner, int contextLength, bool countsTokens = true)
        : base(inner)
    {
        ContextLength = contextLength;
        _tokenizer = countsTokens ? new Tokenizer() : null;
        Metadata = inner.Metadata with { Capabilities = inner.Metadata.Capabilities with { ContextLength = contextLength } };
    }

    public int ContextLength { get; }

    public override LanguageModelMetadata Metadata { get; }

    /// <summary>Requests refused for their length.</summary>
    public long Overflows => Interlocked.Read(ref _overflows);

    /// <summary>The text (prompt or context and continuation) of every request that reached the inner model.</summary>
    public ConcurrentQueue<string> Answered { get; } = new();

    public static int Count(string text) => Words().Count(text) + 1;

    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ILanguageModelTokenizer) ? _tokenizer : base.GetService(serviceType, serviceKey);

    protected override Task<TResponse> InvokeAsync<TResponse>(
        LanguageModelRequest request, Func<LanguageModelRequest, CancellationToken, Task<TResponse>> next, CancellationToken cancellationToken)
    {
        var (text, needed) = request switch
        {
            GenerationRequest g => (g.Prompt, Count(g.Prompt) + g.MaxTokens),
            NextTokenRequest n => (n.Context, Count(n.Context) + 1),
            ContinuationRequest c => (c.Context + c.Continuation, Count(c.Context) + Words().Count(c.Continuation)),
            _ => throw new ArgumentOutOfRangeException(nameof(request)),
        };
        if (needed > ContextLength)
        {
            Interlocked.Increment(ref _overflows);
            throw new LanguageModelException($"The request takes {needed} tokens, more than the context window of {ContextLength} tokens.")
            {
                Kind = LanguageModelErrorKind.ContextLengthExceeded,
                Operation = request.Operation,
                ProviderName = Metadata.ProviderName,
                ModelId = Metadata.ModelId,
            };
        }

        Answered.Enqueue(text);
        return next(request, cancellationToken);
    }

    [GeneratedRegex(@"\S+")]
    private static partial Regex Words();

    private sealed class Tokenizer : ILanguageModelTokenizer
    {
        public int CountTokens(string text)
        {
            ArgumentNullException.ThrowIfNull(text);
            return Count(text);
        }
    }
}
