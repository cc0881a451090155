using WxShare.Configuration;
using WxShare.Signing;

namespace WxShare.Accounts;

/// <summary>One account whose credentials WxShare keeps, as validated at start-up.</summary>
public sealed class Account
{
    public Account(string name, bool isSingleAccount, AccountKind kind, string appId, string? agentId, string appSecret,
        AllowedDomains allowedDomains, TokenApi tokenApi, bool cardTicket, string? platform = null)
    {
        Platform = platform;
        Name = name;
        IsSingleAccount = isSingleAccount;
        Kind = kind;
        AppId = appId;
        AgentId = agentId;
        AppSecret = appSecret;
        AllowedDomains = allowedDomains;
        TokenApi = tokenApi;
        CardTicket = cardTicket;
        StorageKey = StorageKeyOf(kind, appId, agentId, platform);
    }

    /// <summary><c>&lt;name&gt;</c> of <c>Accounts__&lt;name&gt;__*</c>, or <c>default</c> for the single-account settings.</summary>
    public string Name { get; }
    public bool IsSingleAccount { get; }
    public AccountKind Kind { get; }
    /// <summary>The AppID a page's wx.config carries: the official account's AppID, or a WeCom app's CorpId.</summary>
    public string AppId { get; }
    /// <summary>A WeCom app's AgentId; null for official accounts.</summary>
    public string? AgentId { get; }
    public string AppSecret { get; }
    public AllowedDomains AllowedDomains { get; }
    public TokenApi TokenApi { get; }
    /// <summary>An official account on stable_token (the default). TokenApi means nothing to a WeCom app: its gettoken is like the classic call.</summary>
    public bool UsesStableToken => Kind == AccountKind.Mp && TokenApi == TokenApi.Stable;
    /// <summary>Whether the wx_card api_ticket is kept for this account (card-ext and choose-card signing).</summary>
    public bool CardTicket { get; }
    /// <summary>The cards card-ext signs without a key (and then never for a caller's code or openId).</summary>
    public IReadOnlySet<string> PublicCardIds { get; init; } = new HashSet<string>();
    /// <summary>Whether other backends may read this account's access_token from the token relay (off by default).</summary>
    public bool Relay { get; init; }
    /// <summary>
    /// The third-party platform (<c>Platforms__&lt;name&gt;__*</c>) that keeps this account's credentials: set for an
    /// authorizer (an official account known from storage, not from settings) and for the platform's own component
    /// account; null for a configured account.
    /// </summary>
    public string? Platform { get; }
    /// <summary>An official account that authorized a third-party platform: it signs like any official account.</summary>
    public bool IsAuthorizer => Kind == AccountKind.Mp && Platform is not null;
    /// <summary>The account's PartitionKey in the credential table: unique per account, and stable across renames.</summary>
    public string StorageKey { get; }

    /// <summary>The account as requests name it: the AppID, and a WeCom app's AgentId after it (<c>ww… agent 1000002</c>).</summary>
    public string Display => AgentId is null ? AppId : $"{AppId} agent {AgentId}";

    /// <summary>Whose API issues the account's credentials, for messages: <c>WeChat</c> or <c>WeCom</c>.</summary>
    public string Issuer => Kind == AccountKind.WeCom ? "WeCom" : "WeChat";

    /// <summary>Names one of this account's settings as operators type it, e.g. <c>Accounts__shop__AppId</c>.</summary>
    public string SettingName(string key) =>
        Platform is not null ? $"Platforms__{Platform}__{key}" : AccountSettingName.Of(Name, IsSingleAccount, key);

    /// <summary>
    /// An official account's row is keyed by its AppID, as it always was. A WeCom app's by corp and app, because
    /// several apps of one corp each hold their own token and tickets; the prefix keeps them apart from AppIDs. A
    /// platform's component token and each authorizer's token and tickets are prefixed by the platform, so the same
    /// account authorizing two platforms keeps two sets of credentials.
    /// </summary>
    public static string StorageKeyOf(AccountKind kind, string appId, string? agentId, string? platform = null) => kind switch
    {
        AccountKind.WeCom => $"wecom-{appId}-{agentId}",
        AccountKind.Component => ComponentPrefix + platform,
        _ when platform is not null => $"{AuthorizerPrefix}{platform}-{appId}",
        _ => appId,
    };

    /// <summary>
    /// The name and platform of the account a row belongs to, from its key alone (<see cref="StorageKeyOf"/> in reverse),
    /// for a row whose account is not in the registry: a platform's component account, or an authorizer that left.
    /// </summary>
    public static (string Name, string? Platform) NameOfStorageKey(string storageKey)
    {
        if (storageKey.StartsWith(ComponentPrefix, StringComparison.Ordinal))
            return ComponentName(storageKey[ComponentPrefix.Length..]);
        // authorizer-<platform>-<appid>: a platform name may hold '-', an appid never does.
        if (storageKey.StartsWith(AuthorizerPrefix, StringComparison.Ordinal) && storageKey.LastIndexOf('-') is var dash && dash > AuthorizerPrefix.Length)
        {
            var platform = storageKey[AuthorizerPrefix.Length..dash];
            return ($"{platform}/{storageKey[(dash + 1)..]}", platform);
        }
        return (storageKey, null);
    }

    /// <summary>The name of a platform's component account.</summary>
    public static (string Name, string Platform) ComponentName(string platform) => ($"{platform}/component", platform);

    private const string ComponentPrefix = "component-";
    private const string AuthorizerPrefix = "authorizer-";

    // AppSecret is a secret: never print it.
    public override string ToString() => $"Account {{ Name = {Name}, Kind = {Kind}, AppId = {AppId} }}";
}
