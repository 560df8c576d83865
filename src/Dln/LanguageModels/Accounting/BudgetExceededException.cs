namespace DeepLanguageNetworks;

/// <summary>
/// Thrown by the usage-tracking decorator (<see cref="LanguageModelBuilderExtensions.UseUsageTracking"/>) before a call that would go over its hard
/// <see cref="UsageBudget"/>. The message says which limit was reached.
/// </summary>
public sealed class BudgetExceededException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public BudgetExceededException()
        : this("The usage budget is exhausted.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Which limit was reached.</param>
    public BudgetExceededException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Which limit was reached.</param>
    /// <param name="innerException">The cause, if any.</param>
    public BudgetExceededException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a refused call.</summary>
    /// <param name="message">Which limit was reached.</param>
    /// <param name="budget">The budget that refused the call.</param>
    public BudgetExceededException(string message, UsageBudget budget)
        : base(message)
    {
        Budget = budget;
    }

    /// <summary>The budget that refused the call, when known.</summary>
    public UsageBudget? Budget { get; }
}
