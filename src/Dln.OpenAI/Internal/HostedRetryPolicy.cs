using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace DeepLanguageNetworks.OpenAI;

/// <summary>
/// Replaces System.ClientModel's <see cref="ClientRetryPolicy"/> in a client pipeline with a Polly retry strategy, so
/// that the behaviour is ours and tested: exponential backoff with jitter, the server's <c>Retry-After</c> honoured (in
/// seconds, as an HTTP-date, or as <c>retry-after-ms</c>), a bounded number of attempts, no retry of a call the caller
/// cancelled, and no retry of errors that another attempt cannot fix (401, 403, 400, 404).
/// </summary>
/// <remarks>
/// <para>The per-attempt timeout is <see cref="ClientPipelineOptions.NetworkTimeout"/>, enforced by the transport below this
/// policy; a timed-out attempt surfaces here as an <see cref="OperationCanceledException"/> while the caller's token is
/// not cancelled, and is retried. The total timeout of a call is the models' (it cancels the message's token, which ends
/// the retries).</para>
/// <para>Two failures are retried that a plain HTTP client would not: a success status whose body is not well-formed
/// JSON (cut short or replaced by a proxy's page; every answer of these APIs is JSON), like a 5xx; and a request the
/// server never answered because it closed the connection (<see cref="HttpRequestError.ResponseEnded"/>, or a reset),
/// which is what a pooled connection the server closed without saying <c>Connection: close</c> gives. The latter is
/// retried at once, without back-off: the next attempt takes a live connection, and waiting would only slow every call
/// down. While a call has met nothing but closed connections, those immediate retries have a budget of their own
/// (<see cref="ClosedConnectionRetries"/>), apart from <see cref="LanguageModelRetryOptions.MaxRetryAttempts"/>: when
/// many pooled connections died together (a server that closes every connection after one response, under many calls
/// in flight), the next one taken may be dead too, and a call must not fail for having met several in a row. After any
/// other failure every retry counts on <see cref="LanguageModelRetryOptions.MaxRetryAttempts"/>.</para>
/// </remarks>
internal sealed class HostedRetryPolicy : PipelinePolicy
{
    /// <summary>The immediate retries one call may make after requests sent into connections the server had closed.</summary>
    internal const int ClosedConnectionRetries = 8;

    private static readonly ResiliencePropertyKey<PipelineMessage> MessageKey = new("Dln.PipelineMessage");
    private static readonly ResiliencePropertyKey<RetryCounts> CountsKey = new("Dln.RetryCounts");

    private readonly ResiliencePipeline<PipelineResponse> _pipeline;
    private readonly TimeSpan _maxRetryDelay;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the policy.</summary>
    /// <param name="retry">Retry settings (their <see cref="LanguageModelRetryOptions.IsTransient"/> is not used: responses are classified here).</param>
    /// <param name="logger">Receives one warning per retry.</param>
    public HostedRetryPolicy(LanguageModelRetryOptions retry, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(retry);
        ArgumentNullException.ThrowIfNull(logger);
        _maxRetryDelay = retry.MaxDelay;
        _timeProvider = retry.TimeProvider;
        var maxAttempts = retry.MaxRetryAttempts + 1;
        var builder = new ResiliencePipelineBuilder<PipelineResponse> { TimeProvider = _timeProvider };
        if (retry.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<PipelineResponse>
            {
                // Polly's own bound covers both budgets; ShouldHandle keeps each within its own.
                MaxRetryAttempts = retry.MaxRetryAttempts + ClosedConnectionRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = retry.UseJitter,
                Delay = retry.BaseDelay,
                MaxDelay = retry.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome, args.Context.CancellationToken) && Counts(args.Context).Allows(args.Outcome, retry.MaxRetryAttempts)),
                DelayGenerator = args => ValueTask.FromResult(IsClosedConnection(args.Outcome.Exception) ? TimeSpan.Zero : ServerRequestedDelay(args.Outcome.Result)),
                OnRetry = args =>
                {
                    var counts = Counts(args.Context);
                    counts.Count(args.Outcome);
                    var endpoint = args.Context.Properties.TryGetValue(MessageKey, out var message) && message.Request.Uri is { } uri
                        ? EndpointText.Describe(uri)
                        : "(unknown endpoint)";
                    // The attempts a call may make grow by each immediate retry after a closed connection (their own budget).
                    Log.Retrying(logger, args.AttemptNumber + 1, maxAttempts + counts.ClosedConnections, endpoint, DescribeFailure(args.Outcome),
                        (long)args.RetryDelay.TotalMilliseconds);

                    // Frees the connection of the failed attempt; the transport replaces message.Response on the next one.
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            });
        }

        _pipeline = builder.Build();
    }

    /// <inheritdoc />
    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        ArgumentNullException.ThrowIfNull(message);
        var context = ResilienceContextPool.Shared.Get(message.CancellationToken);
        context.Properties.Set(MessageKey, message);
        context.Properties.Set(CountsKey, new RetryCounts());
        try
        {
            _pipeline.Execute(
                static (_, state) =>
                {
                    ProcessNext(state.message, state.pipeline, state.currentIndex);
                    return state.message.Response!;
                },
                context,
                (message, pipeline, currentIndex));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <inheritdoc />
    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        ArgumentNullException.ThrowIfNull(message);
        var context = ResilienceContextPool.Shared.Get(message.CancellationToken);
        context.Properties.Set(MessageKey, message);
        context.Properties.Set(CountsKey, new RetryCounts());
        try
        {
            await _pipeline.ExecuteAsync(
                static async (_, state) =>
                {
                    await ProcessNextAsync(state.message, state.pipeline, state.currentIndex).ConfigureAwait(false);
                    return state.message.Response!;
                },
                context,
                (message, pipeline, currentIndex)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static RetryCounts Counts(ResilienceContext context) => context.Properties.GetValue(CountsKey, null!);

    /// <summary>Whether a status code is worth another attempt.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <returns><see langword="true"/> for 408, 429 and 500, 502, 503, 504.</returns>
    internal static bool IsTransientStatus(int status) => status is 408 or 429 or 500 or 502 or 503 or 504;

    /// <summary>
    /// Whether a request failed because the server closed the connection without answering: the response ended before
    /// it began, or the connection was reset. On a pooled connection that the server had closed, that is the first
    /// sign of it.
    /// </summary>
    /// <param name="exception">What the attempt threw.</param>
    /// <returns><see langword="true"/> when another attempt, on another connection, can be made at once.</returns>
    internal static bool IsClosedConnection(Exception? exception)
    {
        // An attempt that timed out is a timeout, whatever its cancellation left inside it (the aborted read of the
        // connection it gave up on may carry a reset): it is retried with back-off, on the ordinary budget.
        if (exception is OperationCanceledException)
        {
            return false;
        }

        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } or HttpIOException { HttpRequestError: HttpRequestError.ResponseEnded } or
                System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionReset or System.Net.Sockets.SocketError.ConnectionAborted })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a success response's body cannot be what the APIs send: empty, or not well-formed JSON.</summary>
    /// <param name="response">The response.</param>
    /// <returns><see langword="true"/> for a 2xx response whose buffered body does not parse as JSON.</returns>
    internal static bool IsUnreadableSuccess(PipelineResponse response)
    {
        if (response.Status is < 200 or >= 300)
        {
            return false;
        }

        BinaryData content;
        try
        {
            content = response.Content;
        }
        catch (InvalidOperationException)
        {
            // Not buffered (a stream): nothing to check here.
            return false;
        }

        var reader = new System.Text.Json.Utf8JsonReader(content.ToMemory().Span);
        try
        {
            var tokens = 0;
            while (reader.Read())
            {
                tokens++;
            }

            return tokens == 0;
        }
        catch (System.Text.Json.JsonException)
        {
            return true;
        }
    }

    private static bool IsTransient(Outcome<PipelineResponse> outcome, CancellationToken callerToken) => outcome.Exception switch
    {
        null => outcome.Result is { } response && (IsTransientStatus(response.Status) || IsUnreadableSuccess(response)),

        // The caller's own cancellation is final; any other cancellation is the per-attempt timeout.
        OperationCanceledException => !callerToken.IsCancellationRequested,
        ClientResultException { Status: 0 } => true,
        HttpRequestException or IOException => true,
        _ => false,
    };

    private TimeSpan? ServerRequestedDelay(PipelineResponse? response)
    {
        if (response is null)
        {
            return null;
        }

        var requested = RetryAfter.Read(
            name => response.Headers.TryGetValue(name, out var value) ? value : null,
            _timeProvider.GetUtcNow());
        return requested is { } delay && delay > _maxRetryDelay ? _maxRetryDelay : requested;
    }

    private static string DescribeFailure(Outcome<PipelineResponse> outcome) => outcome.Exception switch
    {
        null when outcome.Result is { } response && IsUnreadableSuccess(response) => $"HTTP {response.Status} with a body that is not JSON",
        null => $"HTTP {outcome.Result?.Status}",
        var exception when IsClosedConnection(exception) => "the server closed the connection without answering",
        OperationCanceledException => "timed out",
        var exception => exception.GetType().Name,
    };

    /// <summary>The retries one call has made, by budget.</summary>
    internal sealed class RetryCounts
    {
        private int _others;

        public int ClosedConnections { get; private set; }

        // The budget of its own lasts while the call has met nothing but closed connections (dead pooled ones): once
        // an attempt failed otherwise (a timeout, a 5xx), every failure counts on the ordinary one, so a call that
        // timed out makes no more attempts than MaxRetryAttempts allows.
        private bool OnClosedBudget(Outcome<PipelineResponse> outcome) => _others == 0 && IsClosedConnection(outcome.Exception);

        public bool Allows(Outcome<PipelineResponse> outcome, int maxRetryAttempts) => OnClosedBudget(outcome)
            ? ClosedConnections < ClosedConnectionRetries
            : _others < maxRetryAttempts;

        public void Count(Outcome<PipelineResponse> outcome)
        {
            if (OnClosedBudget(outcome))
            {
                ClosedConnections++;
            }
            else
            {
                _others++;
            }
        }
    }
}
