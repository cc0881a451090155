namespace WxShare.WeChatSandbox;

/// <summary>The sandbox's accounts, lifetimes and quotas. Read once when the sandbox starts.</summary>
public sealed class SandboxOptions
{
    public List<SandboxAccount> Accounts { get; set; } =
        [new() { AppId = SandboxDefaults.AppId, AppSecret = SandboxDefaults.AppSecret }];

    /// <summary>Lifetime of classic and stable access tokens.</summary>
    public int TokenExpiresInSeconds { get; set; } = 7200;

    public int TicketExpiresInSeconds { get; set; } = 7200;

    /// <summary>How long a classic token keeps working after a newer one was issued for the same appid.</summary>
    public TimeSpan PreviousTokenGracePeriod { get; set; } = TimeSpan.FromMinutes(5);

    public int TokenDailyQuota { get; set; } = 2000;

    public int StableTokenDailyQuota { get; set; } = 500_000;

    public int TicketDailyQuota { get; set; } = 10_000;

    /// <summary>The WeCom apps served on the same server (WeCom/), their lifetimes and hourly ticket limits.</summary>
    public WeCom.WeComSandboxOptions WeCom { get; set; } = new();

    /// <summary>The third-party platform whose Open Platform side is served on the same server (Platform/).</summary>
    public Platform.PlatformSandboxOptions Platform { get; set; } = new();
}
