using Microsoft.Extensions.Logging;
using WxShare.Errors;

namespace WxShare.Platform;

/// <summary>
/// The refresh tick's second chance for an authorization whose code exchange failed when it came
/// (<see cref="AuthorizerStatus.PendingExchange"/>: no component token yet, a network error, 61005…): api_query_auth with the
/// stored code once a component token is there (through <see cref="ComponentTokenSource"/>, so a refused one is replaced
/// once), while the code has not expired. An exchanged account is served from the same tick; a code that expired, or that
/// WeChat refuses (61010), marks the row <see cref="AuthorizerStatus.CodeExpired"/>: the account has to authorize again.
/// </summary>
public sealed partial class PendingExchanges(
    PlatformStore store,
    ComponentApiClient api,
    Lazy<ComponentTokenSource> componentTokens,
    AuthorizerDirectory directory,
    TimeProvider time,
    ILogger<PendingExchanges> logger)
{
    private const int InvalidAuthorizationCode = 61010;

    /// <param name="rows">The platform's authorizer rows as this tick read them.</param>
    /// <exception cref="Storage.StorageUnavailableException">Table Storage could not be written.</exception>
    public async Task RetryAsync(ThirdPartyPlatform platform, IReadOnlyList<AuthorizerRecord> rows, CancellationToken cancellationToken)
    {
        var exchanged = false;
        // One after the other: each is one api_query_auth, and a platform rarely has more than one pending.
        foreach (var row in rows.Where(r => r.Status == AuthorizerStatus.PendingExchange))
            exchanged |= await RetryAsync(platform, row, cancellationToken);
        if (exchanged)
            await directory.RefreshAsync(platform, cancellationToken);
    }

    /// <returns>Whether the account is now stored as authorized.</returns>
    private async Task<bool> RetryAsync(ThirdPartyPlatform platform, AuthorizerRecord pending, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (pending.PendingAuthorizationCode is not { } code || pending.PendingCodeUsableUntil is not { } expiresAt || expiresAt <= now)
        {
            await MarkCodeExpiredAsync(platform, pending, "it expired before an exchange succeeded", cancellationToken);
            return false;
        }

        AuthorizationGrant? grant;
        try
        {
            grant = await componentTokens.Value.CallAsync(platform,
                token => api.QueryAuthAsync(token, platform.ComponentAppId, code, cancellationToken), cancellationToken);
        }
        catch (ApiCallException e) when (e.ErrorCode == InvalidAuthorizationCode)
        {
            await MarkCodeExpiredAsync(platform, pending, "WeChat refused it (61010: unknown, used or expired)", cancellationToken);
            return false;
        }
        catch (ApiCallException e)
        {
            LogStillPending(platform.Name, pending.AuthorizerAppId, e.Message, expiresAt);
            return false;
        }
        if (grant is null)
            return false; // no component token yet (no usable verify ticket): the next tick tries again

        var stored = false;
        await store.UpdateAuthorizerAsync(platform.Name, pending.AuthorizerAppId, row =>
        {
            // Not over a newer event (a re-authorization, a withdrawal). Another instance's 61010 for this same code came
            // after this exchange used it: its code-expired mark yields to the grant.
            if (row.Status is not (AuthorizerStatus.PendingExchange or AuthorizerStatus.CodeExpired) || row.LastEventAt != pending.LastEventAt)
                return null;
            stored = true;
            return row.WithGrant(grant, pending.LastEventAt ?? now, code);
        }, cancellationToken);
        if (stored)
            LogExchanged(platform.Name, pending.AuthorizerAppId);
        return stored;
    }

    private async Task MarkCodeExpiredAsync(ThirdPartyPlatform platform, AuthorizerRecord pending, string why, CancellationToken cancellationToken)
    {
        var marked = false;
        await store.UpdateAuthorizerAsync(platform.Name, pending.AuthorizerAppId, row =>
        {
            if (row.Status != AuthorizerStatus.PendingExchange || row.LastEventAt != pending.LastEventAt)
                return null;
            marked = true;
            // The dead code is dropped; its expiry stays, to say when the authorization lapsed.
            return row with { Status = AuthorizerStatus.CodeExpired, PendingAuthorizationCode = null };
        }, cancellationToken);
        if (marked)
            LogCodeExpired(platform.Name, pending.AuthorizerAppId, why, platform.AuthorizePath);
    }

    [LoggerMessage(LogLevel.Information, "Platform {Platform}: the pending authorization code of {AuthorizerAppId} was exchanged by the refresh; the account is stored and served")]
    private partial void LogExchanged(string platform, string authorizerAppId);

    [LoggerMessage(LogLevel.Warning, "Platform {Platform}: the pending authorization code of {AuthorizerAppId} is still not exchanged ({Reason}); the next tick retries until it expires at {ExpiresAt}")]
    private partial void LogStillPending(string platform, string authorizerAppId, string reason, DateTimeOffset expiresAt);

    [LoggerMessage(LogLevel.Error, "Platform {Platform}: the authorization code of {AuthorizerAppId} can no longer be exchanged: {Why}. The account's administrator must authorize again from a new link ({AuthorizePath})")]
    private partial void LogCodeExpired(string platform, string authorizerAppId, string why, string authorizePath);
}
