using System.Diagnostics.CodeAnalysis;

namespace WxShare.WeChatSandbox.Domain;

/// <summary>
/// The in-memory WeChat: checks credentials, issues tokens and tickets, enforces expiry and quotas.
/// All time comes from the given <see cref="TimeProvider"/>.
/// </summary>
internal sealed partial class WeChatBackend
{
    public const string JsApiTicketType = "jsapi";
    public const string CardTicketType = "wx_card";
    private const string ClientCredentialGrant = "client_credential";

    private static readonly TimeSpan StableTokenRenewalWindow = TimeSpan.FromSeconds(300);
    private static readonly TimeSpan MinimumForceRefreshInterval = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<string, AccountState> _accounts;
    private readonly Dictionary<string, IssuedCredential> _accessTokens = new(StringComparer.Ordinal);
    private readonly int _tokenLifetimeSeconds;
    private readonly int _ticketLifetimeSeconds;
    private readonly TimeSpan _previousTokenGracePeriod;
    private readonly SandboxOptions _options;

    public WeChatBackend(SandboxOptions options, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.TokenExpiresInSeconds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.TicketExpiresInSeconds);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PreviousTokenGracePeriod, TimeSpan.Zero);

        _time = time;
        _accounts = options.Accounts.ToDictionary(a => a.AppId, a => new AccountState(a, options), StringComparer.Ordinal);
        _tokenLifetimeSeconds = options.TokenExpiresInSeconds;
        _ticketLifetimeSeconds = options.TicketExpiresInSeconds;
        _previousTokenGracePeriod = options.PreviousTokenGracePeriod;
        _options = options;
    }

    /// <summary>
    /// An access token for an account a third-party platform acts for (api_query_auth, api_authorizer_token): an account
    /// of its own here (with a secret nobody knows), so getticket serves it like any other. Platform/ calls this.
    /// </summary>
    public (string AccessToken, int ExpiresIn) IssueAuthorizerAccessToken(string authorizerAppId, int expiresInSeconds)
    {
        lock (_gate)
        {
            if (!_accounts.TryGetValue(authorizerAppId, out var account))
                _accounts[authorizerAppId] = account = new AccountState(
                    new SandboxAccount { AppId = authorizerAppId, AppSecret = RandomCredentials.AccessToken() }, _options);
            var token = new IssuedCredential(RandomCredentials.AccessToken(), authorizerAppId, Now.AddSeconds(expiresInSeconds));
            // Facts §4: a token fetched elsewhere ends the one in use (no grace period, unlike /cgi-bin/token's).
            account.LatestAuthorizerToken?.RevokeFrom(Now);
            account.LatestAuthorizerToken = token;
            _accessTokens[token.Value] = token;
            return (token.Value, expiresInSeconds);
        }
    }

    private DateTimeOffset Now => _time.GetUtcNow();

    /// <summary><c>GET /cgi-bin/token</c>: every success issues a new token; the previous one lives on only for the grace period.</summary>
    public WeChatOutcome IssueClassicToken(string? grantType, string? appId, string? secret)
    {
        lock (_gate)
        {
            if (!TryAuthenticate(grantType, appId, secret, out var account, out var error))
                return error;

            var now = Now;
            if (account.TokenQuota.IsExhausted(now))
                return new WeChatError(WeChatErrorCodes.DailyQuotaReached);
            account.TokenQuota.Consume(now);

            account.LatestClassicToken?.RevokeFrom(now + _previousTokenGracePeriod);
            account.LatestClassicToken = IssueAccessToken(account, now);
            return new AccessTokenIssued(account.LatestClassicToken.Value, _tokenLifetimeSeconds);
        }
    }

    /// <summary>
    /// <c>POST /cgi-bin/stable_token</c>: the same token while it has more than 300 s left, a new one after that
    /// (the old one still works until its own expiry). force_refresh replaces it at once, limited per day and per 30 s.
    /// </summary>
    public WeChatOutcome GetStableToken(string? grantType, string? appId, string? secret, bool forceRefresh)
    {
        lock (_gate)
        {
            if (!TryAuthenticate(grantType, appId, secret, out var account, out var error))
                return error;

            var now = Now;
            if (account.StableTokenQuota.IsExhausted(now))
                return new WeChatError(WeChatErrorCodes.DailyQuotaReached);

            if (forceRefresh)
                return ForceRefreshStableToken(account, now);

            account.StableTokenQuota.Consume(now);
            if (account.CurrentStableToken is { } current && current.IsValidAt(now) && current.TimeLeftAt(now) > StableTokenRenewalWindow)
                return new AccessTokenIssued(current.Value, (int)current.TimeLeftAt(now).TotalSeconds);

            account.PreviousStableToken = account.CurrentStableToken;
            account.CurrentStableToken = IssueAccessToken(account, now);
            return new AccessTokenIssued(account.CurrentStableToken.Value, _tokenLifetimeSeconds);
        }
    }

    private WeChatOutcome ForceRefreshStableToken(AccountState account, DateTimeOffset now)
    {
        if (account.ForceRefreshQuota.IsExhausted(now))
            return new WeChatError(WeChatErrorCodes.DailyQuotaReached);
        if (account.LastForceRefreshAt is { } last && now - last < MinimumForceRefreshInterval)
            return new WeChatError(WeChatErrorCodes.MinuteQuotaReached);

        account.StableTokenQuota.Consume(now);
        account.ForceRefreshQuota.Consume(now);
        account.LastForceRefreshAt = now;

        account.CurrentStableToken?.RevokeFrom(now);
        account.PreviousStableToken?.RevokeFrom(now);
        account.PreviousStableToken = null;
        account.CurrentStableToken = IssueAccessToken(account, now);
        return new AccessTokenIssued(account.CurrentStableToken.Value, _tokenLifetimeSeconds);
    }

    /// <summary>
    /// <c>GET /cgi-bin/getcallbackip</c>: WeChat's callback addresses while the token works; 40001 for a token it never
    /// issued or that was replaced, 42001 for an expired one. Issues nothing.
    /// </summary>
    public WeChatOutcome ListCallbackIps(string? accessToken)
    {
        lock (_gate)
        {
            return (WeChatOutcome?)TokenError(accessToken, Now) ?? new CallbackIpList(CallbackIps);
        }
    }

    /// <summary>Addresses from the documentation range (RFC 5737), standing in for WeChat's.</summary>
    private static readonly string[] CallbackIps = ["192.0.2.10", "192.0.2.11", "198.51.100.0/24"];

    /// <summary>Why WeChat refuses this token (missing, unknown, replaced or expired), or null if it works.</summary>
    private WeChatError? TokenError(string? accessToken, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(accessToken))
            return new WeChatError(WeChatErrorCodes.AccessTokenMissing);
        if (!_accessTokens.TryGetValue(accessToken, out var token))
            return new WeChatError(WeChatErrorCodes.InvalidCredential);
        return token.StatusAt(now) switch
        {
            CredentialStatus.Revoked => new WeChatError(WeChatErrorCodes.InvalidCredential),
            CredentialStatus.Expired => new WeChatError(WeChatErrorCodes.AccessTokenExpired),
            _ => null,
        };
    }

    /// <summary><c>GET /cgi-bin/ticket/getticket</c>: every success issues a new ticket; older ones work until their own expiry.</summary>
    public WeChatOutcome IssueTicket(string? accessToken, string? type)
    {
        lock (_gate)
        {
            var now = Now;
            if (TokenError(accessToken, now) is { } refused)
                return refused;
            var token = _accessTokens[accessToken!];

            if (type is not (JsApiTicketType or CardTicketType))
                return new WeChatError(WeChatErrorCodes.InvalidArgs);

            var account = _accounts[token.AppId];
            if (account.TicketQuota.IsExhausted(now))
                return new WeChatError(WeChatErrorCodes.DailyQuotaReached);
            account.TicketQuota.Consume(now);

            var ticket = new IssuedCredential(RandomCredentials.Ticket(), account.AppId, now.AddSeconds(_ticketLifetimeSeconds));
            TicketBookFor(account, type).Add(ticket);
            return new TicketIssued(ticket.Value, _ticketLifetimeSeconds);
        }
    }

    public string? CurrentTicket(string appId, string type)
    {
        lock (_gate)
        {
            return _accounts.TryGetValue(appId, out var account) && account.TicketsByType.TryGetValue(type, out var book)
                ? book.NewestValidAt(Now)?.Value
                : null;
        }
    }

    public bool IsTicketValid(string appId, string ticket, string type)
    {
        lock (_gate)
        {
            return _accounts.TryGetValue(appId, out var account)
                && account.TicketsByType.TryGetValue(type, out var book)
                && book.IsValidAt(ticket, Now);
        }
    }

    public void RevokeAccessToken(string accessToken)
    {
        lock (_gate)
        {
            if (_accessTokens.TryGetValue(accessToken, out var token))
                token.RevokeFrom(Now);
        }
    }

    /// <summary>The account an access token (valid or not) was issued to, or null for one the sandbox never issued.</summary>
    public string? AppIdOf(string? accessToken)
    {
        lock (_gate)
            return accessToken is not null && _accessTokens.TryGetValue(accessToken, out var token) ? token.AppId : null;
    }

    public bool IsAccessTokenValid(string appId, string accessToken)
    {
        lock (_gate)
        {
            return _accessTokens.TryGetValue(accessToken, out var token) && token.AppId == appId && token.IsValidAt(Now);
        }
    }

    private bool TryAuthenticate(
        string? grantType,
        string? appId,
        string? secret,
        [NotNullWhen(true)] out AccountState? account,
        [NotNullWhen(false)] out WeChatError? error)
    {
        if (AuthenticationErrorCode(grantType, appId, secret) is { } code)
        {
            account = null;
            error = new WeChatError(code);
            return false;
        }

        account = _accounts[appId!];
        error = null;
        return true;
    }

    // Checked in WeChat's order: grant type, appid, secret.
    private int? AuthenticationErrorCode(string? grantType, string? appId, string? secret)
    {
        if (grantType != ClientCredentialGrant)
            return WeChatErrorCodes.InvalidGrantType;
        if (string.IsNullOrEmpty(appId))
            return WeChatErrorCodes.AppIdMissing;
        if (!_accounts.TryGetValue(appId, out var account))
            return WeChatErrorCodes.InvalidAppId;
        if (string.IsNullOrEmpty(secret))
            return WeChatErrorCodes.AppSecretMissing;
        if (secret != account.AppSecret)
            return WeChatErrorCodes.InvalidAppSecret;
        return null;
    }

    private IssuedCredential IssueAccessToken(AccountState account, DateTimeOffset now)
    {
        var token = new IssuedCredential(RandomCredentials.AccessToken(), account.AppId, now.AddSeconds(_tokenLifetimeSeconds));
        _accessTokens[token.Value] = token;
        return token;
    }

    private static TicketBook TicketBookFor(AccountState account, string type)
    {
        if (!account.TicketsByType.TryGetValue(type, out var book))
        {
            book = new TicketBook();
            account.TicketsByType[type] = book;
        }

        return book;
    }
}
