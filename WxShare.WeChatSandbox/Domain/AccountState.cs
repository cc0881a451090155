namespace WxShare.WeChatSandbox.Domain;

/// <summary>What WeChat keeps per appid: secret, quotas, current tokens and tickets. Not thread-safe: the owner locks.</summary>
internal sealed class AccountState(SandboxAccount account, SandboxOptions options)
{
    /// <summary>WeChat's documented limit on stable_token force_refresh calls.</summary>
    public const int ForceRefreshesPerDay = 20;

    public string AppId { get; } = account.AppId;

    public string AppSecret { get; } = account.AppSecret;

    public DailyQuota TokenQuota { get; } = new(options.TokenDailyQuota);

    public DailyQuota StableTokenQuota { get; } = new(options.StableTokenDailyQuota);

    public DailyQuota TicketQuota { get; } = new(options.TicketDailyQuota);

    public DailyQuota ForceRefreshQuota { get; } = new(ForceRefreshesPerDay);

    public DateTimeOffset? LastForceRefreshAt { get; set; }

    public IssuedCredential? LatestClassicToken { get; set; }

    public IssuedCredential? CurrentStableToken { get; set; }

    /// <summary>The access token api_query_auth or api_authorizer_token issued last; the one before it is revoked.</summary>
    public IssuedCredential? LatestAuthorizerToken { get; set; }

    /// <summary>The stable token replaced in its last minutes; it keeps working until its own expiry.</summary>
    public IssuedCredential? PreviousStableToken { get; set; }

    public Dictionary<string, TicketBook> TicketsByType { get; } = new(StringComparer.Ordinal);
}
