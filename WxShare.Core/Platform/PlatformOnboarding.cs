using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WxShare.Configuration;
using WxShare.Errors;

namespace WxShare.Platform;

/// <summary>The authorization page's URL for one account's consent, and until when its pre_auth_code is good.</summary>
public sealed record AuthorizationLink(string Url, bool Mobile, DateTimeOffset ExpiresAt);

public enum AuthorizationCompletion
{
    /// <summary>The code was exchanged here and the account stored.</summary>
    Stored,
    /// <summary>WeChat's authorized push exchanged the same code first: the account is stored.</summary>
    StoredByPush,
    /// <summary>No usable component_verify_ticket is stored yet, so no component token: nothing exchanged.</summary>
    NoComponentToken,
    /// <summary>The code is unknown, used or expired (61010), and no account was stored with it.</summary>
    InvalidCode,
}

/// <param name="Authorizer">The account's row when it is stored; null otherwise.</param>
public sealed record AuthorizationResult(AuthorizationCompletion Completion, AuthorizerRecord? Authorizer);

/// <summary>
/// Onboarding an account onto a platform: the authorization URL built from a fresh pre_auth_code (PC
/// componentloginpage, or the mobile bindcomponent form), and the authorized redirect's exchange of auth_code, which
/// stores the account as the authorized push does (<see cref="AuthorizerRecord.WithGrant"/>): whichever door comes
/// first exchanges the code, the other recognises it.
/// </summary>
public sealed partial class PlatformOnboarding(
    ComponentTokenSource componentTokens,
    ComponentApiClient api,
    PlatformStore store,
    AuthorizerDirectory directory,
    IOptions<WeChatOptions> weChat,
    TimeProvider time,
    ILogger<PlatformOnboarding> logger)
{
    public const string AuthorizationPageHost = "https://mp.weixin.qq.com";
    /// <summary>auth_type=1: official accounts only (2 is mini programs, which WxShare does not sign for).</summary>
    private const string OfficialAccountsOnly = "1";
    private const int InvalidAuthorizationCode = 61010;

    /// <returns>The link, or null when the platform holds no component token yet (no verify ticket has been pushed).</returns>
    /// <exception cref="ApiCallException">api_create_preauthcode (or the component token) failed.</exception>
    public async Task<AuthorizationLink?> CreateLinkAsync(ThirdPartyPlatform platform, Uri redirectUri, bool mobile, CancellationToken cancellationToken)
    {
        if (await componentTokens.CallAsync(platform, token => api.CreatePreAuthCodeAsync(token, platform.ComponentAppId, cancellationToken), cancellationToken)
            is not { } code)
            return null;
        var query = $"component_appid={Uri.EscapeDataString(platform.ComponentAppId)}&pre_auth_code={Uri.EscapeDataString(code.Value)}"
                    + $"&redirect_uri={Uri.EscapeDataString(redirectUri.ToString())}&auth_type={OfficialAccountsOnly}";
        var page = PageBase();
        var url = mobile
            ? $"{page}/safe/bindcomponent?action=bindcomponent&no_scan=1&{query}#wechat_redirect"
            : $"{page}/cgi-bin/componentloginpage?{query}";
        return new AuthorizationLink(url, mobile, code.ExpiresAt);
    }

    /// <summary>The authorized redirect (<c>?auth_code=…&amp;expires_in=600</c>): exchanges the code and stores the account.</summary>
    /// <exception cref="ApiCallException">api_query_auth failed otherwise than with an unknown code.</exception>
    public async Task<AuthorizationResult> CompleteAsync(ThirdPartyPlatform platform, string authCode, CancellationToken cancellationToken)
    {
        AuthorizationGrant grant;
        try
        {
            if (await componentTokens.CallAsync(platform, token => api.QueryAuthAsync(token, platform.ComponentAppId, authCode, cancellationToken), cancellationToken)
                is not { } granted)
                return new AuthorizationResult(AuthorizationCompletion.NoComponentToken, null);
            grant = granted;
        }
        catch (ApiCallException e) when (e.ErrorCode == InvalidAuthorizationCode)
        {
            var hash = AuthorizerRecord.HashOf(authCode);
            var byPush = (await store.ListAuthorizersAsync(platform.Name, cancellationToken)).FirstOrDefault(r => r.ExchangedCodeHash == hash);
            return byPush is not null
                ? new AuthorizationResult(AuthorizationCompletion.StoredByPush, byPush)
                : new AuthorizationResult(AuthorizationCompletion.InvalidCode, null);
        }
        var at = time.GetUtcNow();
        var stored = await store.UpdateAuthorizerAsync(platform.Name, grant.AuthorizerAppId, row => row.WithGrant(grant, at, authCode), cancellationToken);
        await directory.RefreshAsync(platform, cancellationToken);
        LogStored(platform.Name, grant.AuthorizerAppId);
        return new AuthorizationResult(AuthorizationCompletion.Stored, stored);
    }

    /// <summary>Phones get the bindcomponent form; the PC page asks the administrator to scan a QR code.</summary>
    public static bool IsMobile(string? userAgent) =>
        userAgent is not null
        && (userAgent.Contains("Mobile", StringComparison.OrdinalIgnoreCase) || userAgent.Contains("Android", StringComparison.OrdinalIgnoreCase)
            || userAgent.Contains("iPhone", StringComparison.OrdinalIgnoreCase) || userAgent.Contains("MicroMessenger", StringComparison.OrdinalIgnoreCase));

    /// <summary>The authorization page is WeChat's mp host; against the sandbox (WeChat__ApiBaseUrl elsewhere) it is the sandbox, which serves the same paths.</summary>
    private string PageBase() =>
        weChat.Value.ApiBaseUrl.TrimEnd('/') == WeChatOptions.DefaultApiBaseUrl ? AuthorizationPageHost : weChat.Value.ApiBaseUrl.TrimEnd('/');

    [LoggerMessage(LogLevel.Information, "Platform {Platform}: {AuthorizerAppId} authorized through the authorized redirect; stored")]
    private partial void LogStored(string platform, string authorizerAppId);
}
