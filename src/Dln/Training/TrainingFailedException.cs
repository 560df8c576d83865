namespace DeepLanguageNetworks;

/// <summary>Training stopped because more iterations failed than the error budget allows; the last checkpoint is intact.</summary>
public sealed class TrainingFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TrainingFailedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed and how often.</param>
    public TrainingFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the last error.</summary>
    /// <param name="message">What failed and how often.</param>
    /// <param name="innerException">The last error.</param>
    public TrainingFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
