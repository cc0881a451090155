using System.Collections.Concurrent;
using WxShare.WeChatSandbox.Domain;

namespace WxShare.WeChatSandbox.Platform;

/// <summary>The Open Platform's errcodes the sandbox answers (their texts are in <see cref="WeChatErrorMessages"/>).</summary>
internal static class PlatformErrorCodes
{
    public const int NotAuthorized = 61003;
    public const int TicketExpired = 61005;
    public const int TicketInvalid = 61006;
    public const int InvalidComponent = 61011;
    public const int RefreshTokenInvalid = 61023;
    public const int InvalidAuthorizationCode = 61010;
    public const int InvalidPreAuthCode = 61009;
}

/// <summary>What a component call produced: an answer body (snake_case JSON), or an errcode.</summary>
internal abstract record PlatformOutcome;

internal sealed record PlatformAnswer(object Body) : PlatformOutcome;

internal sealed record PlatformError(int Code) : PlatformOutcome;

/// <summary>One account that authorized the sandbox's platform.</summary>
internal sealed class SandboxAuthorizer(string appId)
{
    public string AppId => appId;
    public bool Authorized { get; set; }
    public string RefreshToken { get; set; } = "";
    public DateTimeOffset AuthorizedAt { get; set; }
}

/// <summary>
/// The Open Platform's side of the sandbox: verify tickets (12 h), component tokens, pre-auth and authorization codes
/// (single use), authorizers with their refresh tokens, and the switches that force 61005 and 61023. Thread-safe.
/// Authorizer access tokens are issued by the WeChat backend, so getticket accepts them like any account's.
/// As WeChat does (facts §4: a token fetched elsewhere ends the one in use), each api_component_token ends the
/// previous component token (40001 from then on), and each authorizer token the authorizer's previous one.
/// </summary>
public sealed class PlatformSandboxState
{
    /// <summary>The permission sets granted in the simulator (1 messages, 15 custom menu, 4 web pages...): enough for JS-SDK.</summary>
    public static readonly IReadOnlyList<int> GrantedFuncScopes = [1, 4, 15];

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly WeChatBackend _weChat;
    private readonly Dictionary<string, DateTimeOffset> _ticketsPushedAt = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IssuedCredential> _componentTokens = new(StringComparer.Ordinal);
    private IssuedCredential? _currentComponentToken;
    private readonly Dictionary<string, DateTimeOffset> _preAuthCodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string AppId, DateTimeOffset ExpiresAt)> _authorizationCodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SandboxAuthorizer> _authorizers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);

    internal PlatformSandboxState(PlatformSandboxOptions options, WeChatBackend weChat, TimeProvider time)
    {
        Options = options;
        _weChat = weChat;
        _time = time;
    }

    public PlatformSandboxOptions Options { get; }

    /// <summary>61005 on every api_component_token while set, as when no push reached the platform for 12 hours.</summary>
    public bool TicketsExpired { get; set; }

    /// <summary>61023 on every api_authorizer_token while set (api_get_authorizer_list still answers the refresh tokens).</summary>
    public bool RefreshTokensInvalid { get; set; }

    /// <summary>Requests served per component endpoint (e.g. <c>api_component_token</c>), errors included.</summary>
    public IReadOnlyDictionary<string, int> Calls => new Dictionary<string, int>(_calls);

    private DateTimeOffset Now => _time.GetUtcNow();

    internal void Count(string endpoint) => _calls.AddOrUpdate(endpoint, 1, (_, n) => n + 1);

    /// <summary>A new verify ticket, as WeChat makes one for each push; it is honoured for 12 hours.</summary>
    internal (string Ticket, DateTimeOffset CreatedAt) IssueVerifyTicket()
    {
        lock (_gate)
        {
            var ticket = "ticket@@@" + RandomCredentials.Ticket();
            _ticketsPushedAt[ticket] = Now;
            return (ticket, Now);
        }
    }

    /// <summary>The newest verify ticket pushed, or null.</summary>
    public string? LatestVerifyTicket()
    {
        lock (_gate)
            return _ticketsPushedAt.MaxBy(t => t.Value).Key;
    }

    internal PlatformOutcome ComponentToken(string? componentAppId, string? secret, string? ticket)
    {
        lock (_gate)
        {
            if (componentAppId != Options.ComponentAppId)
                return new PlatformError(PlatformErrorCodes.InvalidComponent);
            if (secret != Options.ComponentAppSecret)
                return new PlatformError(WeChatErrorCodes.InvalidAppSecret);
            if (ticket is null || !_ticketsPushedAt.TryGetValue(ticket, out var pushedAt))
                return new PlatformError(PlatformErrorCodes.TicketInvalid);
            if (TicketsExpired || Now - pushedAt >= TimeSpan.FromHours(12))
                return new PlatformError(PlatformErrorCodes.TicketExpired);

            // The new token ends the one in use, whoever holds it.
            _currentComponentToken?.RevokeFrom(Now);
            _currentComponentToken = new IssuedCredential(RandomCredentials.AccessToken(), componentAppId, Now.AddSeconds(Options.ComponentTokenExpiresInSeconds));
            _componentTokens[_currentComponentToken.Value] = _currentComponentToken;
            return new PlatformAnswer(new { component_access_token = _currentComponentToken.Value, expires_in = Options.ComponentTokenExpiresInSeconds });
        }
    }

    internal PlatformOutcome CreatePreAuthCode(string? componentToken, string? componentAppId) => WithComponentToken(componentToken, componentAppId, () =>
    {
        var code = "preauthcode@@@" + RandomCredentials.Ticket();
        _preAuthCodes[code] = Now.AddSeconds(Options.PreAuthCodeExpiresInSeconds);
        return new PlatformAnswer(new { pre_auth_code = code, expires_in = Options.PreAuthCodeExpiresInSeconds });
    });

    internal PlatformOutcome QueryAuth(string? componentToken, string? componentAppId, string? authorizationCode) =>
        WithComponentToken(componentToken, componentAppId, () =>
        {
            if (authorizationCode is null || !_authorizationCodes.Remove(authorizationCode, out var code) || code.ExpiresAt <= Now)
                return new PlatformError(PlatformErrorCodes.InvalidAuthorizationCode);
            var authorizer = _authorizers[code.AppId];
            var (accessToken, expiresIn) = _weChat.IssueAuthorizerAccessToken(code.AppId, Options.AuthorizerTokenExpiresInSeconds);
            return new PlatformAnswer(new
            {
                authorization_info = new
                {
                    authorizer_appid = code.AppId,
                    authorizer_access_token = accessToken,
                    expires_in = expiresIn,
                    authorizer_refresh_token = authorizer.RefreshToken,
                    func_info = GrantedFuncScopes.Select(id => new { funcscope_category = new { id } }).ToArray(),
                },
            });
        });

    internal PlatformOutcome AuthorizerToken(string? componentToken, string? componentAppId, string? authorizerAppId, string? refreshToken) =>
        WithComponentToken(componentToken, componentAppId, () =>
        {
            if (authorizerAppId is null || !_authorizers.TryGetValue(authorizerAppId, out var authorizer) || !authorizer.Authorized)
                return new PlatformError(PlatformErrorCodes.NotAuthorized);
            if (RefreshTokensInvalid || refreshToken != authorizer.RefreshToken)
                return new PlatformError(PlatformErrorCodes.RefreshTokenInvalid);
            var (accessToken, expiresIn) = _weChat.IssueAuthorizerAccessToken(authorizerAppId, Options.AuthorizerTokenExpiresInSeconds);
            return new PlatformAnswer(new { authorizer_access_token = accessToken, expires_in = expiresIn, authorizer_refresh_token = authorizer.RefreshToken });
        });

    internal PlatformOutcome AuthorizerList(string? componentToken, string? componentAppId, int offset, int count) =>
        WithComponentToken(componentToken, componentAppId, () =>
        {
            if (offset < 0 || count is < 1 or > 500)
                return new PlatformError(WeChatErrorCodes.InvalidArgs);
            var authorized = _authorizers.Values.Where(a => a.Authorized).OrderBy(a => a.AuthorizedAt).ToArray();
            return new PlatformAnswer(new
            {
                total_count = authorized.Length,
                list = authorized.Skip(offset).Take(count)
                    .Select(a => new { authorizer_appid = a.AppId, refresh_token = a.RefreshToken, auth_time = a.AuthorizedAt.ToUnixTimeSeconds() }).ToArray(),
            });
        });

    internal PlatformOutcome StartPushTicket(string? componentAppId, string? secret)
    {
        if (componentAppId != Options.ComponentAppId)
            return new PlatformError(PlatformErrorCodes.InvalidComponent);
        return secret != Options.ComponentAppSecret
            ? new PlatformError(WeChatErrorCodes.InvalidAppSecret)
            : new PlatformAnswer(new { errcode = 0, errmsg = "ok" });
    }

    /// <summary>The account's consent on the authorization page: a new refresh token (the old one ends) and a single-use code.</summary>
    /// <returns>The code, and whether the account had already authorized (then WeChat pushes updateauthorized).</returns>
    internal (string AuthorizationCode, DateTimeOffset ExpiresAt, bool IsUpdate)? Authorize(string authorizerAppId, string? preAuthCode)
    {
        lock (_gate)
        {
            if (preAuthCode is not null && (!_preAuthCodes.Remove(preAuthCode, out var expiresAt) || expiresAt <= Now))
                return null;
            if (!_authorizers.TryGetValue(authorizerAppId, out var authorizer))
                _authorizers[authorizerAppId] = authorizer = new SandboxAuthorizer(authorizerAppId);
            var isUpdate = authorizer.Authorized;
            authorizer.Authorized = true;
            authorizer.AuthorizedAt = Now;
            authorizer.RefreshToken = "refreshtoken@@@" + RandomCredentials.Ticket();
            var code = "queryauthcode@@@" + RandomCredentials.Ticket();
            var codeExpiresAt = Now.AddHours(1);
            _authorizationCodes[code] = (authorizerAppId, codeExpiresAt);
            return (code, codeExpiresAt, isUpdate);
        }
    }

    /// <summary>The account withdraws: its refresh token ends (61003 from then on).</summary>
    internal bool Unauthorize(string authorizerAppId)
    {
        lock (_gate)
        {
            if (!_authorizers.TryGetValue(authorizerAppId, out var authorizer) || !authorizer.Authorized)
                return false;
            authorizer.Authorized = false;
            return true;
        }
    }

    /// <summary>Replaces an account's refresh token server-side, as a re-authorization elsewhere does: the stored one gets 61023, the list has the new one.</summary>
    public bool RotateRefreshToken(string authorizerAppId)
    {
        lock (_gate)
        {
            if (!_authorizers.TryGetValue(authorizerAppId, out var authorizer) || !authorizer.Authorized)
                return false;
            authorizer.RefreshToken = "refreshtoken@@@" + RandomCredentials.Ticket();
            return true;
        }
    }

    /// <summary>The current refresh token of an authorized account, or null.</summary>
    public string? RefreshTokenOf(string authorizerAppId)
    {
        lock (_gate)
            return _authorizers.TryGetValue(authorizerAppId, out var a) && a.Authorized ? a.RefreshToken : null;
    }

    private PlatformOutcome WithComponentToken(string? componentToken, string? componentAppId, Func<PlatformOutcome> call)
    {
        lock (_gate)
        {
            if (string.IsNullOrEmpty(componentToken))
                return new PlatformError(WeChatErrorCodes.AccessTokenMissing);
            if (!_componentTokens.TryGetValue(componentToken, out var token))
                return new PlatformError(WeChatErrorCodes.InvalidCredential);
            switch (token.StatusAt(Now))
            {
                case CredentialStatus.Revoked:
                    return new PlatformError(WeChatErrorCodes.InvalidCredential);
                case CredentialStatus.Expired:
                    return new PlatformError(WeChatErrorCodes.AccessTokenExpired);
            }
            if (componentAppId != Options.ComponentAppId)
                return new PlatformError(PlatformErrorCodes.InvalidComponent);
            return call();
        }
    }
}
