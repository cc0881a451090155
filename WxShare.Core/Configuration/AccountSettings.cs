namespace WxShare.Configuration;

/// <summary>
/// One account's settings as the operator typed them: strings, parsed and checked by
/// <see cref="Accounts.AccountSettingsParser"/>, so that a bad value is reported by its setting name instead of failing to bind.
/// </summary>
public sealed class AccountSettings
{
    /// <summary>The account's name: <c>&lt;name&gt;</c> in <c>Accounts__&lt;name&gt;__AppId</c>, or <c>default</c> for the single-account settings.</summary>
    public string Name { get; set; } = "";
    /// <summary>True for the account that the single-account settings (WeChat__AppId, ...) define.</summary>
    public bool IsSingleAccount { get; set; }

    public string? Kind { get; set; }
    public string? AppId { get; set; }
    public string? AppSecret { get; set; }
    public string? AllowedDomains { get; set; }
    public string? TokenApi { get; set; }
    public string? CardTicket { get; set; }
    /// <summary>Card ids that card-ext signs for anyone (without code or openId); any other card needs a key with route cards.</summary>
    public string? PublicCardIds { get; set; }
    /// <summary>Whether other backends may read the access_token from the relay route (true or false, default false).</summary>
    public string? Relay { get; set; }
    /// <summary>WeCom apps (Kind=wecom) name their corp and app instead of an AppId.</summary>
    public string? CorpId { get; set; }
    public string? AgentId { get; set; }

    /// <summary>Names one of this account's settings as operators type it, e.g. <c>Accounts__shop__AppId</c> or <c>WeChat__AppId</c>.</summary>
    public string SettingName(string key) => AccountSettingName.Of(Name, IsSingleAccount, key);

    // AppSecret is a secret: never print it.
    public override string ToString() => $"AccountSettings {{ Name = {Name} }}";
}
