using System.Text.Json.Nodes;

namespace DeepLanguageNetworks.OpenAI;

/// <summary>
/// Gathers the concurrent calls of a <see cref="CompletionsScoringModel"/> that share every setting but the prompt into
/// one <c>/v1/completions</c> request with a list of prompts (see <see cref="CompletionsScoringModelOptions.MaxPromptsPerRequest"/>),
/// and hands each caller the choice of its prompt. Thread-safe.
/// </summary>
/// <remarks>
/// <para>A request leaves when it is full or when the window opened by its first call ends. Each caller waits with its
/// own token; the request is cancelled only when every caller in it has cancelled.</para>
/// <para>A request the server refuses as invalid (HTTP 400 or 422, one input too long) is sent again prompt by prompt,
/// so that one bad input fails only its own caller; any other failure fails every caller with the same exception.</para>
/// </remarks>
internal sealed class PromptBatcher(int maxPrompts, TimeSpan window, PromptBatcher.Post post, PromptBatcher.SendOne single, Func<LanguageModelOperation, string, Exception> malformed)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Batch> _open = new(StringComparer.Ordinal);

    /// <summary>Sends one HTTP request with <paramref name="body"/> (its prompt a list of <paramref name="prompts"/>) and returns the parsed response.</summary>
    public delegate Task<CompletionsResponse> Post(JsonObject body, LanguageModelOperation operation, int prompts, CancellationToken cancellationToken);

    /// <summary>Sends one call on its own.</summary>
    public delegate Task<Answer> SendOne(JsonObject body, LanguageModelOperation operation, CancellationToken cancellationToken);

    /// <summary>Sends <paramref name="body"/> (with one prompt) in the next request of its settings.</summary>
    public Task<Answer> SendAsync(JsonObject body, LanguageModelOperation operation, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var settings = (JsonObject)body.DeepClone();
        var prompt = settings["prompt"]!.GetValue<string>();
        settings.Remove("prompt");
        var key = $"{operation}\n{settings.ToJsonString()}";
        var item = new Item(prompt, cancellationToken);
        Batch batch;
        bool opened, full;
        lock (_gate)
        {
            opened = !_open.TryGetValue(key, out batch!);
            if (opened)
            {
                batch = new Batch(settings, operation);
                _open[key] = batch;
            }

            batch.Items.Add(item);
            full = batch.Items.Count >= maxPrompts;
            if (full)
            {
                _open.Remove(key);
            }
        }

        if (full)
        {
            _ = SendBatchAsync(batch);
        }
        else if (opened)
        {
            _ = FlushAfterWindowAsync(key, batch);
        }

        return item.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Divides <paramref name="total"/> in proportion to <paramref name="weights"/>, in whole units that add up to it (largest remainders).</summary>
    internal static long[] Divide(long total, IReadOnlyList<double> weights)
    {
        var sum = weights.Sum();
        var exact = weights.Select(w => sum > 0 ? total * w / sum : (double)total / weights.Count).ToArray();
        var shares = exact.Select(e => (long)Math.Floor(e)).ToArray();
        var left = total - shares.Sum();
        foreach (var i in Enumerable.Range(0, exact.Length).OrderByDescending(i => exact[i] - shares[i]).ThenBy(i => i).Take((int)left))
        {
            shares[i]++;
        }

        return shares;
    }

    private async Task FlushAfterWindowAsync(string key, Batch batch)
    {
        await Task.Delay(window).ConfigureAwait(false);
        lock (_gate)
        {
            if (!_open.TryGetValue(key, out var current) || !ReferenceEquals(current, batch))
            {
                return; // it filled up and left already
            }

            _open.Remove(key);
        }

        await SendBatchAsync(batch).ConfigureAwait(false);
    }

    private async Task SendBatchAsync(Batch batch)
    {
        var items = batch.Items;
        if (items.Count == 1)
        {
            await SendAloneAsync(batch, items[0]).ConfigureAwait(false);
            return;
        }

        // The request is cancelled when every caller in it has cancelled (or had before it left).
        using var cancellation = new CancellationTokenSource();
        var waiting = items.Count;
        var registrations = items.Select(i => i.CancellationToken.Register(() =>
        {
            if (Interlocked.Decrement(ref waiting) == 0)
            {
                cancellation.Cancel();
            }
        })).ToArray();
        try
        {
            var body = (JsonObject)batch.Settings.DeepClone();
            body["prompt"] = new JsonArray(items.Select(i => (JsonNode?)JsonValue.Create(i.Prompt)).ToArray());
            CompletionsResponse response;
            try
            {
                response = await post(body, batch.Operation, items.Count, cancellation.Token).ConfigureAwait(false);
            }
            catch (LanguageModelException ex) when (ex.Kind is LanguageModelErrorKind.BadRequest or LanguageModelErrorKind.ContextLengthExceeded)
            {
                // One input may be at fault: each prompt on its own, so that only its caller fails.
                await Task.WhenAll(items.Select(i => SendAloneAsync(batch, i))).ConfigureAwait(false);
                return;
            }

            Deliver(batch, response, malformed);
        }
        catch (Exception ex)
        {
            foreach (var item in items)
            {
                item.Completion.TrySetException(ex);
            }
        }
        finally
        {
            foreach (var registration in registrations)
            {
                registration.Dispose();
            }
        }
    }

    private async Task SendAloneAsync(Batch batch, Item item)
    {
        try
        {
            var body = (JsonObject)batch.Settings.DeepClone();
            body["prompt"] = item.Prompt;
            item.Completion.TrySetResult(await single(body, batch.Operation, item.CancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            item.Completion.TrySetException(ex);
        }
    }

    /// <summary>Hands each caller the choice whose index is its prompt's, with its share of the usage.</summary>
    private static void Deliver(Batch batch, CompletionsResponse response, Func<LanguageModelOperation, string, Exception> malformed)
    {
        var items = batch.Items;
        var choices = new CompletionsChoice?[items.Count];
        foreach (var choice in response.Choices ?? [])
        {
            if (choice.Index is not { } index || index < 0 || index >= items.Count || choices[index] is not null)
            {
                throw malformed(batch.Operation, $"the response to {items.Count} prompts has a choice with index {choice.Index?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing"} (expected one choice per prompt, numbered from 0)");
            }

            choices[index] = choice;
        }

        if (choices.Any(c => c is null))
        {
            throw malformed(batch.Operation, $"the response to {items.Count} prompts has {response.Choices?.Count ?? 0} choices (expected one per prompt)");
        }

        var reported = response.Usage;
        var promptTokens = Divide(reported?.PromptTokens ?? 0, items.Select(i => (double)Math.Max(1, i.Prompt.Length)).ToArray());
        var completionTokens = Divide(reported?.CompletionTokens ?? 0, items.Select(_ => 1.0).ToArray());

        // A choice's own completion count is known when the request's divides evenly (scoring asks the same of each).
        var even = reported is not null && reported.CompletionTokens % items.Count == 0;
        for (var i = 0; i < items.Count; i++)
        {
            var usage = new LanguageModelUsage(promptTokens[i], completionTokens[i]);
            var own = even ? new CompletionsUsage { PromptTokens = promptTokens[i], CompletionTokens = reported!.CompletionTokens / items.Count } : null;
            items[i].Completion.TrySetResult(new Answer(choices[i]!, usage, own));
        }
    }

    /// <summary>A caller's answer: its choice, its share of the usage, and the usage as if its prompt had been alone (when known).</summary>
    internal sealed record Answer(CompletionsChoice Choice, LanguageModelUsage Usage, CompletionsUsage? ReportedUsage);

    private sealed class Batch(JsonObject settings, LanguageModelOperation operation)
    {
        public JsonObject Settings { get; } = settings;

        public LanguageModelOperation Operation { get; } = operation;

        public List<Item> Items { get; } = [];
    }

    private sealed class Item(string prompt, CancellationToken cancellationToken)
    {
        public string Prompt { get; } = prompt;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public TaskCompletionSource<Answer> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
