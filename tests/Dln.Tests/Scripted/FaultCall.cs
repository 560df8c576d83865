namespace DeepLanguageNetworks.Tests.Scripted;

/// <summary>One attempt of a call, as a fault plan of <see cref="FaultInjectingLanguageModel"/> sees it.</summary>
/// <param name="Operation">Which operation is called.</param>
/// <param name="Purpose">The call's accounting purpose (role and layer).</param>
/// <param name="Text">The prompt or context.</param>
/// <param name="Key">The request's cache key: identical requests share it, so a retry of a request has the same key.</param>
/// <param name="Attempt">1 for the first attempt of this key, 2 for the next one, and so on.</param>
internal sealed record FaultCall(LanguageModelOperation Operation, CallPurpose Purpose, string Text, string Key, int Attempt);
