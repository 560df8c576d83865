namespace DeepLanguageNetworks;

/// <summary>
/// Base class for decorators: forwards every call to <see cref="InnerModel"/>. The three operations all pass through
/// one protected method, <see cref="InvokeAsync{TResponse}"/>, so that a decorator that treats every call alike (cache,
/// limits, retries, accounting, logging, telemetry) overrides that one method. For extension authors: the library's own
/// decorators are internal and composed with <see cref="LanguageModelBuilder"/> (<c>UseCache</c>, <c>UseRetry</c>, …);
/// yours derive from this class and join a pipeline with <see cref="LanguageModelBuilder.Use(Func{ILanguageModel, ILanguageModel})"/>.
/// </summary>
/// <remarks>
/// <para>A decorator that needs an operation's specifics either tests the request's type in
/// <see cref="InvokeAsync{TResponse}"/> (<c>request is GenerationRequest g</c>) or overrides that operation's public
/// method; overriding a public method takes that operation out of the shared path.</para>
/// <example>
/// <code>
/// sealed class CountingModel(ILanguageModel inner) : DelegatingLanguageModel(inner)
/// {
///     public int Calls;
///
///     protected override Task&lt;TResponse&gt; InvokeAsync&lt;TResponse&gt;(
///         LanguageModelRequest request, Func&lt;LanguageModelRequest, CancellationToken, Task&lt;TResponse&gt;&gt; next, CancellationToken cancellationToken)
///     {
///         Interlocked.Increment(ref Calls);
///         return next(request, cancellationToken);
///     }
/// }
/// </code>
/// </example>
/// </remarks>
public abstract class DelegatingLanguageModel : ILanguageModel
{
    private readonly Func<LanguageModelRequest, CancellationToken, Task<GenerationResponse>> _generate;
    private readonly Func<LanguageModelRequest, CancellationToken, Task<NextTokenResponse>> _nextToken;
    private readonly Func<LanguageModelRequest, CancellationToken, Task<ContinuationResponse>> _continuation;

    /// <summary>Wraps <paramref name="innerModel"/>.</summary>
    /// <param name="innerModel">The model calls are forwarded to.</param>
    protected DelegatingLanguageModel(ILanguageModel innerModel)
    {
        ArgumentNullException.ThrowIfNull(innerModel);
        InnerModel = innerModel;

        // Created once per decorator rather than once per call. A decorator may pass a changed copy of the request
        // (request with { ... }) to next: its runtime type, and so the cast, stays the operation's.
        _generate = (r, ct) => InnerModel.GenerateAsync((GenerationRequest)r, ct);
        _nextToken = (r, ct) => InnerModel.GetNextTokenLogProbabilitiesAsync((NextTokenRequest)r, ct);
        _continuation = (r, ct) => InnerModel.ScoreContinuationAsync((ContinuationRequest)r, ct);
    }

    /// <summary>The wrapped model.</summary>
    protected ILanguageModel InnerModel { get; }

    /// <inheritdoc />
    public virtual LanguageModelMetadata Metadata => InnerModel.Metadata;

    /// <inheritdoc cref="ILanguageModel.Capabilities" />
    public LanguageModelCapabilities Capabilities => Metadata.Capabilities;

    /// <inheritdoc />
    public virtual Task<GenerationResponse> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return InvokeAsync(request, _generate, cancellationToken);
    }

    /// <inheritdoc />
    public virtual Task<NextTokenResponse> GetNextTokenLogProbabilitiesAsync(NextTokenRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return InvokeAsync(request, _nextToken, cancellationToken);
    }

    /// <inheritdoc />
    public virtual Task<ContinuationResponse> ScoreContinuationAsync(ContinuationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return InvokeAsync(request, _continuation, cancellationToken);
    }

    /// <inheritdoc />
    public virtual object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : InnerModel.GetService(serviceType, serviceKey);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// The one path of every call: <see cref="GenerateAsync"/>, <see cref="GetNextTokenLogProbabilitiesAsync"/> and
    /// <see cref="ScoreContinuationAsync"/> all come here. The default forwards the call to <see cref="InnerModel"/>.
    /// </summary>
    /// <typeparam name="TResponse">The operation's response type (<see cref="GenerationResponse"/>, <see cref="NextTokenResponse"/> or <see cref="ContinuationResponse"/>).</typeparam>
    /// <param name="request">The request; its type tells the operation (see also <see cref="LanguageModelRequest.Operation"/>).</param>
    /// <param name="next">Sends a request of the same operation to <see cref="InnerModel"/>. Call it once, several times (retries), or not at all (a cache hit).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The response.</returns>
    protected virtual Task<TResponse> InvokeAsync<TResponse>(
        LanguageModelRequest request, Func<LanguageModelRequest, CancellationToken, Task<TResponse>> next, CancellationToken cancellationToken)
        where TResponse : LanguageModelResponse =>
        next(request, cancellationToken);

    /// <summary>Disposes the inner model.</summary>
    /// <param name="disposing"><see langword="true"/> when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            InnerModel.Dispose();
        }
    }
}
