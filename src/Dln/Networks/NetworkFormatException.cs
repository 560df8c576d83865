namespace DeepLanguageNetworks;

/// <summary>A saved network document is malformed, incomplete or from a newer version of the library.</summary>
public sealed class NetworkFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NetworkFormatException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong, naming the file and field.</param>
    public NetworkFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong, naming the file and field.</param>
    /// <param name="innerException">The underlying error.</param>
    public NetworkFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
