namespace DeepLanguageNetworks;

/// <summary>
/// Base class for decorators: forwards every call to <see cref="InnerModel"/>. Override the operations a decorator
/// changes (cache, limits, retries, accounting, logging) and leave the rest.
/// </summary>
public abstract class DelegatingLanguageModel : ILanguageModel
{
    /// <summary>Wraps <paramref name="innerModel"/>.</summary>
    /// <param name="innerModel">The model calls are forwarded to.</param>
    protected DelegatingLanguageModel(ILanguageModel innerModel)
    {
        ArgumentNullException.ThrowIfNull(innerModel);
        InnerModel = innerModel;
    }

    /// <summary>The wrapped model.</summary>
    protected ILanguageModel InnerModel { get; }

    /// <inheritdoc />
    public virtual LanguageModelMetadata Metadata => InnerModel.Metadata;

    /// <inheritdoc />
    public virtual Task<GenerationResponse> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default) =>
        InnerModel.GenerateAsync(request, cancellationToken);

    /// <inheritdoc />
    public virtual Task<NextTokenResponse> GetNextTokenLogProbabilitiesAsync(NextTokenRequest request, CancellationToken cancellationToken = default) =>
        InnerModel.GetNextTokenLogProbabilitiesAsync(request, cancellationToken);

    /// <inheritdoc />
    public virtual Task<ContinuationResponse> ScoreContinuationAsync(ContinuationRequest request, CancellationToken cancellationToken = default) =>
        InnerModel.ScoreContinuationAsync(request, cancellationToken);

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
