using WxShare.Errors;
using Microsoft.Extensions.Logging;
using WxShare.Accounts;
using WxShare.Refresh;
using WxShare.Storage;
using WxShare.WeChat;

namespace WxShare.Platform;

/// <summary>
/// An account that authorized a platform (<see cref="Account.IsAuthorizer"/>): its access token from
/// api_authorizer_token, with the platform's component token (from <see cref="ComponentTokenSource"/>: the engine's
/// row, and a token WeChat refuses replaced once through the engine and the call repeated) and the
/// refresh token of its authorizer row, the one place the refresh token lives (the row the authorization events and
/// the authorized redirect write); the jsapi ticket, and the wx_card ticket where the platform has Cards, from the
/// same getticket as any official account. Errors: 61023 recovers the refresh token from api_get_authorizer_list
/// before giving up; 61003 marks the account unauthorized, which stops serving it.
/// </summary>
public sealed partial class AuthorizerIssuer(
    PlatformRegistry platforms,
    PlatformStore platformStore,
    Lazy<ComponentTokenSource> componentTokens,
    ComponentApiClient api,
    WeChatApiClient weChat,
    AuthorizerDirectory directory,
    TimeProvider time,
    ILogger<AuthorizerIssuer> logger) : ICredentialIssuer
{
    /// <summary>An authorizer's tickets are an official account's: the same getticket calls, in the same order, under the same (no) limits.</summary>
    private readonly OfficialAccountIssuer _officialAccount = new(weChat);
    /// <summary>The token api_query_auth granted stands in for a fetch while it has this long left.</summary>
    private static readonly TimeSpan GrantedTokenMinimumLife = TimeSpan.FromMinutes(30);

    public bool Issues(Account account) => account.IsAuthorizer;

    public IReadOnlyList<ApiCall> Tickets(Account account) => _officialAccount.Tickets(account);

    // api_authorizer_token hands out a new token on each call, like the classic token call.
    public bool TokenIsStable(Account account) => false;

    public async Task<IssuedCredential> GetAccessTokenAsync(Account account, CredentialRecord stored, bool force, CancellationToken cancellationToken)
    {
        var platform = platforms.Of(account);
        var row = await platformStore.GetAuthorizerAsync(platform.Name, account.AppId, cancellationToken);
        if (!AuthorizerDirectory.IsServed(row))
            throw new ApiCallException(ApiCall.AuthorizerToken, PlatformErrorClassifier.NotAuthorized,
                $"the account's authorizer row is {row.Status}: it no longer authorizes platform {platform.Name}", kind: ApiErrorKind.Configuration);
        var now = time.GetUtcNow();
        // The first refresh after an authorization spends no call: api_query_auth already answered with a token.
        if (!force && row.AccessToken is { } granted && granted.ExpiresAt - now >= GrantedTokenMinimumLife
            && (stored.AccessToken is null || stored.AccessToken.FetchedAt < granted.FetchedAt))
            return granted;

        var refreshToken = row.RefreshToken!;
        AuthorizerTokenGrant? grant;
        try
        {
            // A refused component token (another api_component_token ended it) is replaced once and the exchange made again.
            grant = await componentTokens.Value.CallAsync(platform, ExchangeRefreshTokenAsync, cancellationToken);
        }
        catch (ApiCallException e) when (PlatformErrorClassifier.Action(e.ErrorCode) == PlatformErrorAction.MarkUnauthorized)
        {
            await MarkUnauthorizedAsync(platform, account.AppId, now, cancellationToken);
            throw;
        }
        if (grant is null)
            throw new ApiCallException(ApiCall.AuthorizerToken, null,
                $"platform {platform.Name} holds no valid component_access_token yet (it comes once a component_verify_ticket is pushed)",
                kind: ApiErrorKind.Transient);
        if (grant.RefreshToken != refreshToken)
            await ReplaceRefreshTokenAsync(platform, account.AppId, refreshToken, grant.RefreshToken, cancellationToken);
        return grant.AccessToken;

        async Task<AuthorizerTokenGrant> ExchangeRefreshTokenAsync(string componentToken)
        {
            try
            {
                return await api.GetAuthorizerTokenAsync(componentToken, platform.ComponentAppId, account.AppId, refreshToken, cancellationToken);
            }
            catch (ApiCallException e) when (PlatformErrorClassifier.Action(e.ErrorCode) == PlatformErrorAction.RecoverRefreshToken)
            {
                if (await RecoverRefreshTokenAsync(platform, componentToken, account.AppId, refreshToken, cancellationToken) is not { } recovered)
                    throw;
                LogRecovered(platform.Name, account.AppId);
                refreshToken = recovered;
                return await api.GetAuthorizerTokenAsync(componentToken, platform.ComponentAppId, account.AppId, refreshToken, cancellationToken);
            }
        }
    }

    public Task<IssuedCredential> GetTicketAsync(Account account, ApiCall ticket, string accessToken, CancellationToken cancellationToken) =>
        _officialAccount.GetTicketAsync(account, ticket, accessToken, cancellationToken);

    public Task ReserveTicketCallsAsync(Account account, IReadOnlyCollection<ApiCall> tickets, CancellationToken cancellationToken) =>
        _officialAccount.ReserveTicketCallsAsync(account, tickets, cancellationToken);

    // An authorizer access token is an official account's token: WeChat's own check of one serves.
    public Task<bool?> AcceptsAccessTokenAsync(Account account, string accessToken, CancellationToken cancellationToken) =>
        _officialAccount.AcceptsAccessTokenAsync(account, accessToken, cancellationToken);

    public ApiErrorKind Classify(ApiCall call, int? errorCode) => PlatformErrorClassifier.Classify(call, errorCode);

    /// <summary>61023: the account's current refresh token, from api_get_authorizer_list, stored; null when the list has no other.</summary>
    private async Task<string?> RecoverRefreshTokenAsync(ThirdPartyPlatform platform, string componentToken, string authorizerAppId, string deadToken,
        CancellationToken cancellationToken)
    {
        try
        {
            for (var offset = 0; ; offset += ComponentApiClient.MaxAuthorizersPerPage)
            {
                var page = await api.GetAuthorizerListAsync(componentToken, platform.ComponentAppId, offset, ComponentApiClient.MaxAuthorizersPerPage, cancellationToken);
                if (page.Authorizers.FirstOrDefault(a => a.AuthorizerAppId == authorizerAppId) is { } listed)
                {
                    if (listed.RefreshToken == deadToken)
                        return null;
                    await ReplaceRefreshTokenAsync(platform, authorizerAppId, deadToken, listed.RefreshToken, cancellationToken);
                    return listed.RefreshToken;
                }
                if (page.Authorizers.Count == 0 || offset + page.Authorizers.Count >= page.TotalCount)
                    return null;
            }
        }
        // A refused component token is not the recovery's failure: it goes to the component token's replace-and-retry.
        catch (ApiCallException e) when (e.Kind != ApiErrorKind.TokenRejected)
        {
            // The 61023 is what the row and the operator should see; why the recovery failed is logged here.
            LogRecoveryFailed(platform.Name, authorizerAppId, e.Message);
            return null;
        }
    }

    /// <summary>Stores a new refresh token unless the row changed meanwhile (a re-authorization's token is newer still).</summary>
    private Task ReplaceRefreshTokenAsync(ThirdPartyPlatform platform, string authorizerAppId, string replaced, string next, CancellationToken cancellationToken) =>
        platformStore.UpdateAuthorizerAsync(platform.Name, authorizerAppId,
            row => row.RefreshToken == replaced && row.Status == AuthorizerStatus.Authorized ? row with { RefreshToken = next } : null, cancellationToken);

    /// <summary>61003: the account withdrew the authorization (its unauthorized push may never have come): stop serving it, keep its record.</summary>
    private async Task MarkUnauthorizedAsync(ThirdPartyPlatform platform, string authorizerAppId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await platformStore.UpdateAuthorizerAsync(platform.Name, authorizerAppId,
            row => row.Status == AuthorizerStatus.Authorized ? row with { Status = AuthorizerStatus.Unauthorized, UnauthorizedAt = now, AccessToken = null } : null,
            cancellationToken);
        await directory.WithdrawAsync(platform, authorizerAppId, cancellationToken);
        LogMarkedUnauthorized(platform.Name, authorizerAppId);
    }

    [LoggerMessage(LogLevel.Warning, "Platform {Platform}: the refresh token of {AuthorizerAppId} was invalid (61023); the current one came from api_get_authorizer_list and is stored")]
    private partial void LogRecovered(string platform, string authorizerAppId);

    [LoggerMessage(LogLevel.Warning, "Platform {Platform}: recovering the refresh token of {AuthorizerAppId} from api_get_authorizer_list failed: {Reason}")]
    private partial void LogRecoveryFailed(string platform, string authorizerAppId, string reason);

    [LoggerMessage(LogLevel.Warning, "Platform {Platform}: {AuthorizerAppId} no longer authorizes the platform (61003); marked unauthorized and no longer served")]
    private partial void LogMarkedUnauthorized(string platform, string authorizerAppId);
}
