using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using WxShare.Configuration;
using WxShare.WeChat;

namespace WxShare.Http;

/// <summary>The HttpClient plumbing WeChat's and WeCom's clients share.</summary>
internal static class ApiHttpClient
{
    /// <summary>How many times one call may be sent: the first attempt and two retries on HTTP failures.</summary>
    public const int MaxAttemptsPerCall = 3;

    /// <summary>
    /// The longest wait between two attempts: the doubling back-off with jitter is capped at four times its first delay,
    /// so that the longest a call can take is known (<see cref="WorstCaseCall"/>) and a lease can be sized to outlast it.
    /// </summary>
    public static TimeSpan MaxRetryDelay(WeChatOptions options) => TimeSpan.FromMilliseconds(4.0 * options.RetryDelayMilliseconds);

    /// <summary>The longest one call can take: every attempt timing out, with the longest wait between each two.</summary>
    public static TimeSpan WorstCaseCall(WeChatOptions options) =>
        MaxAttemptsPerCall * TimeSpan.FromSeconds(options.RequestTimeoutSeconds) + (MaxAttemptsPerCall - 1) * MaxRetryDelay(options);

    /// <summary>
    /// How long a pooled connection may sit idle before it is closed by us. WeChat's front end drops idle keep-alive
    /// connections without notice; a short idle life makes reusing a dead one rare, and the retry covers the rest.
    /// </summary>
    public static readonly TimeSpan PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A typed client on <paramref name="baseUrl"/> with no HttpClient logging at all (request URIs carry secrets and
    /// tokens), short-lived idle connections, retries with jitter (a request on a connection the server dropped fails
    /// with an HttpRequestException and is sent again on a fresh one) and a per-attempt timeout, from
    /// WeChat__RetryDelayMilliseconds / __RequestTimeoutSeconds.
    /// </summary>
    public static void AddApiHttpClient<TClient>(this IServiceCollection services, string name, Func<IServiceProvider, string> baseUrl)
        where TClient : class =>
        services.AddHttpClient<TClient>((sp, http) =>
            {
                http.BaseAddress = new Uri(baseUrl(sp).TrimEnd('/') + "/");
                http.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline times each attempt
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionIdleTimeout = PooledConnectionIdleTimeout })
            .RemoveAllLoggers()
            .AddResilienceHandler(name, (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<WeChatOptions>>().Value;
                var retry = new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = MaxAttemptsPerCall - 1,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(options.RetryDelayMilliseconds),
                    MaxDelay = MaxRetryDelay(options),
                    // A server's Retry-After could name any wait; the back-off alone keeps the worst case known.
                    ShouldRetryAfterHeader = false,
                };
                // A forced stable_token refresh counts against 20 a day even when its answer is lost: never repeat it.
                var isTransient = retry.ShouldHandle;
                retry.ShouldHandle = args =>
                    args.Context.GetRequestMessage()?.Options.TryGetValue(WeChatApiClient.NotRetried, out var notRetried) == true && notRetried
                        ? ValueTask.FromResult(false)
                        : isTransient(args);
                pipeline
                    .AddRetry(retry)
                    .AddTimeout(TimeSpan.FromSeconds(options.RequestTimeoutSeconds));
            });
}
