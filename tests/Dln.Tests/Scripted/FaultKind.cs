namespace DeepLanguageNetworks.Tests.Scripted;

/// <summary>What <see cref="FaultInjectingLanguageModel"/> does to one attempt of a call.</summary>
internal enum FaultKind
{
    /// <summary>Pass the call through unchanged.</summary>
    None,

    /// <summary>Throw a transient <see cref="LanguageModelException"/> (HTTP 503, <see cref="LanguageModelErrorKind.ServerError"/>), as a throttled or overloaded server does.</summary>
    Transient,

    /// <summary>Throw a <see cref="TimeoutException"/>, as a client whose own timeout ran out does.</summary>
    Timeout,

    /// <summary>Never answer: wait until the call is cancelled (by the retry decorator's attempt timeout or the caller).</summary>
    Hang,

    /// <summary>Answer correctly after a short extra delay, so that calls complete in another order.</summary>
    LatencySpike,

    /// <summary>Throw the model's permanent error (by default a refused connection): a backend that is down.</summary>
    Permanent,
}
