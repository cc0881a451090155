using Microsoft.Extensions.Options;
using WxShare.Configuration;
using WxShare.Signing;

namespace WxShare.Accounts;

/// <summary>The configured accounts, validated at start-up, and lookups over them.</summary>
public sealed class AccountRegistry
{
    private readonly Dictionary<string, Account[]> _byAppId;

    public AccountRegistry(IOptions<AccountsOptions> options)
    {
        All = options.Value.Accounts.Select(ToAccount).ToArray();
        _byAppId = All.GroupBy(a => a.AppId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    }

    public IReadOnlyList<Account> All { get; }

    /// <summary>The accounts whose wx.config carries this appId: one official account, or the apps of one WeCom corp.</summary>
    public IReadOnlyList<Account> WithAppId(string appId) => _byAppId.TryGetValue(appId, out var accounts) ? accounts : [];

    public Account? FindByName(string name) => All.FirstOrDefault(a => a.Name == name);

    /// <summary>Whether any account's domains include this host: an origin there gets CORS.</summary>
    /// <param name="host">A host as <see cref="Uri.IdnHost"/> gives it.</param>
    public bool AnyAllows(string host)
    {
        foreach (var account in All)
            if (account.AllowedDomains.Allows(host))
                return true;
        return false;
    }

    // Options are validated on start, before anything resolves the registry, so the values parse.
    private static Account ToAccount(AccountSettings s)
    {
        var kind = AccountSettingValues.Kind(s.Kind) ?? throw Invalid(s, nameof(s.Kind));
        return new Account(
            s.Name, s.IsSingleAccount, kind,
            (kind == AccountKind.WeCom ? s.CorpId : s.AppId)?.Trim() ?? "",
            kind == AccountKind.WeCom ? s.AgentId?.Trim() : null,
            s.AppSecret?.Trim() ?? "",
            new AllowedDomains(AllowedDomains.Split(s.AllowedDomains)),
            AccountSettingValues.TokenApi(s.TokenApi) ?? throw Invalid(s, nameof(s.TokenApi)),
            AccountSettingValues.Flag(s.CardTicket) ?? throw Invalid(s, nameof(s.CardTicket)))
        {
            Relay = AccountSettingValues.Flag(s.Relay) ?? throw Invalid(s, nameof(s.Relay)),
        };
    }

    private static OptionsValidationException Invalid(AccountSettings s, string key) =>
        new(AccountsOptions.Section, typeof(AccountsOptions), [$"{s.SettingName(key)} is not valid."]);
}
