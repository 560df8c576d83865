namespace DeepLanguageNetworks;

/// <summary>
/// Training stopped because more iterations or validations failed than the error budget
/// (<see cref="TrainingRunOptions.MaxFailedIterations"/>) allows. The message says how many failed, how many
/// backend calls failed and what the last error was (the inner exception); the last checkpoint is intact.
/// </summary>
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
