using Microsoft.Extensions.Logging;
using WxShare.Errors;
using WxShare.Refresh;
using WxShare.Storage;
using WxShare.WeChat;

namespace WxShare.Platform;

/// <summary>
/// The component token for every component call but api_component_token itself: onboarding's (api_query_auth,
/// api_create_preauthcode), the first token after a push, and the refresh's (api_authorizer_token in
/// <see cref="AuthorizerIssuer"/>, a pending exchange in <see cref="PendingExchanges"/>): the one the refresh engine
/// keeps in the platform's component row while it has a minute left, else one the engine fetches now
/// (<see cref="ComponentIssuer"/>: lease, ETag, the one store), so nothing but the engine ever calls api_component_token.
/// The timer's back-off (a push-wait) does not hold it: a ticket is stored.
/// </summary>
public sealed partial class ComponentTokenSource(
    PlatformStore platformStore, CredentialStore store, CredentialRefresher refresher, TimeProvider time, ILogger<ComponentTokenSource> logger)
{
    private static readonly TimeSpan MinimumLife = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan LeaseWait = TimeSpan.FromMilliseconds(250);
    private const int LeaseWaits = 20;

    /// <summary>
    /// <paramref name="call"/> made with the component token. A token WeChat refuses (40001, 40014, 42001: another
    /// api_component_token with this ComponentAppSecret ended it, or it is a previous sandbox's) is replaced, unless the
    /// row holds another already, and the call made once more: otherwise every component call would fail until it expires.
    /// </summary>
    /// <returns>The call's answer, or null when there is no component token (see <see cref="TryGetAsync"/>).</returns>
    /// <exception cref="ApiCallException">The call failed otherwise, or again with the new token; or api_component_token failed.</exception>
    public async Task<T?> CallAsync<T>(ThirdPartyPlatform platform, Func<string, Task<T>> call, CancellationToken cancellationToken) where T : class
    {
        if (await TryGetAsync(platform, cancellationToken) is not { } token)
            return null;
        try
        {
            return await call(token);
        }
        catch (ApiCallException e) when (e.Kind == ApiErrorKind.TokenRejected)
        {
            if (await TryGetAsync(platform, cancellationToken, rejected: token) is not { } replaced)
                throw;
            LogReplaced(platform.Name, e.Call, e.ErrorCode);
            return await call(replaced);
        }
    }

    /// <param name="rejected">A token WeChat refused: not returned, and fetched anew if the row still holds it.</param>
    /// <returns>The token, or null when no usable verify ticket is stored yet, or another instance is fetching the token right now.</returns>
    /// <exception cref="ApiCallException">api_component_token failed (see <see cref="PlatformErrorClassifier"/>).</exception>
    public async Task<string?> TryGetAsync(ThirdPartyPlatform platform, CancellationToken cancellationToken, string? rejected = null)
    {
        var account = platform.ComponentAccount;
        var now = time.GetUtcNow();
        var row = await store.GetAsync(account.StorageKey, cancellationToken);
        if (row.AccessToken is { } held && held.Value != rejected && held.ExpiresAt - now >= MinimumLife)
            return held.Value;
        var component = await platformStore.GetComponentAsync(platform.Name, cancellationToken);
        if (component.Ticket is not { } ticket || ticket.AgeAt(now) >= VerifyTicket.Lifetime)
            return null;

        // A refresh in flight (the timer's, here or on another instance) holds the lease for a few seconds: wait for it
        // (real time: it is a call in progress, not a schedule) and take what it stored.
        for (var attempt = 1; ; attempt++)
        {
            // Planned from the row as the lease reads it: a token another run (the timer's tick) stored meanwhile is
            // taken, not replaced, so two callers racing after one push make one api_component_token call.
            var run = await refresher.RunAsync(account, (record, at) => record.AccessToken is { } fresh && fresh.Value != rejected && fresh.ExpiresAt - at >= MinimumLife
                    ? new RefreshPlan(RefreshDecision.NotDue, false, [])
                    : RefreshPolicy.PlanToken(record, at, force: rejected is not null, forRelayCaller: false),
                cancellationToken);
            if (run.Outcome?.AccessToken is { } fetched)
                return fetched.Value;
            if (run.Outcome?.Failure is { } failed)
                throw new ApiCallException(failed.Call, failed.ErrorCode, failed.Message, kind: PlatformErrorClassifier.Classify(failed.Call, failed.ErrorCode));
            var stored = await store.GetAsync(account.StorageKey, cancellationToken);
            if (stored.AccessToken is { } other && other.Value != rejected && other.ExpiresAt - time.GetUtcNow() >= MinimumLife)
                return other.Value;
            if (run.Result != RefreshResult.LeasedByOther || attempt == LeaseWaits)
                return null;
            await Task.Delay(LeaseWait, cancellationToken);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Platform {Platform}: WeChat refused the component token on {Call} ({ErrorCode}); fetched a new one and called again")]
    private partial void LogReplaced(string platform, ApiCall call, int? errorCode);
}
