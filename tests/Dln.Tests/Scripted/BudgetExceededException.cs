namespace DeepLanguageNetworks.Tests.Scripted;

/// <summary>
/// Stands in for the usage-budget exception of the accounting decorator: the trainer recognises a budget stop by
/// this type name, so the tests need not depend on the decorator.
/// </summary>
internal sealed class BudgetExceededException : Exception
{
    public BudgetExceededException()
    {
    }

    public BudgetExceededException(string message)
        : base(message)
    {
    }

    public BudgetExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
