using Microsoft.Extensions.Configuration;

namespace WxShare.Configuration;

/// <summary>
/// Every account WxShare keeps credentials for: one per <c>Accounts__&lt;name&gt;__*</c> group, plus the account
/// <c>default</c> that the single-account settings (WeChat__AppId, WeChat__AppSecret, Signing__AllowedDomains) define.
/// </summary>
public sealed class AccountsOptions
{
    public const string Section = "Accounts";
    public const string SingleAccountName = "default";

    public List<AccountSettings> Accounts { get; } = [];

    /// <summary>
    /// The single-account settings define <c>default</c> when any of them is set, or when no named account exists
    /// (then they are required, and validation says so).
    /// </summary>
    public void Load(IConfiguration configuration)
    {
        Accounts.Clear();
        foreach (var section in configuration.GetSection(Section).GetChildren())
        {
            var named = new AccountSettings();
            section.Bind(named);
            named.Name = section.Key;
            named.IsSingleAccount = false;
            Accounts.Add(named);
        }

        var weChat = configuration.GetSection(WeChatOptions.Section);
        var single = new AccountSettings
        {
            Name = SingleAccountName,
            IsSingleAccount = true,
            AppId = weChat[nameof(AccountSettings.AppId)],
            AppSecret = weChat[nameof(AccountSettings.AppSecret)],
            TokenApi = weChat[nameof(AccountSettings.TokenApi)],
            CardTicket = weChat[nameof(AccountSettings.CardTicket)],
            PublicCardIds = weChat[nameof(AccountSettings.PublicCardIds)],
            Relay = weChat[nameof(AccountSettings.Relay)],
            AllowedDomains = configuration.GetSection(SigningOptions.Section)[nameof(AccountSettings.AllowedDomains)],
        };
        var singleIsSet = new[] { single.AppId, single.AppSecret, single.AllowedDomains }.Any(v => !string.IsNullOrWhiteSpace(v));
        if (singleIsSet || Accounts.Count == 0)
            Accounts.Insert(0, single);
    }
}
