namespace DeepLanguageNetworks.Samples.Benchmark;

/// <summary>How a run ended.</summary>
internal enum RunStatus
{
    /// <summary>Trained (if the method trains) and tested.</summary>
    Completed,

    /// <summary>The backend lacks a capability the method needs (DLN-2 on a chat model without continuation scoring).</summary>
    NotSupported,

    /// <summary>A call or the data failed; see the error.</summary>
    Failed,
}
