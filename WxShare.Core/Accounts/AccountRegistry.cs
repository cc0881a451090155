using Microsoft.Extensions.Options;
using WxShare.Configuration;

namespace WxShare.Accounts;

/// <summary>The configured accounts, validated at start-up, and lookups over them.</summary>
public sealed class AccountRegistry
{
    private readonly Dictionary<string, Account[]> _byAppId;

    public AccountRegistry(IOptions<AccountsOptions> options)
    {
        // Validated on start (by the same parser), so nothing is wrong here unless the registry is resolved first.
        var errors = new List<string>();
        All = AccountSettingsParser.Parse(options.Value, errors).ToArray();
        if (errors.Count > 0)
            throw new OptionsValidationException(AccountsOptions.Section, typeof(AccountsOptions), errors);
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
}
