using Microsoft.Extensions.Options;
using WxShare.Configuration;

namespace WxShare.Accounts;

/// <summary>
/// The accounts that sign pages, and lookups over them: those configured (validated at start-up), and the authorizers of
/// third-party platforms, which are known from storage at run time (<see cref="SetAuthorizers"/>, from the refresh
/// timer and the onboarding routes). Readers see one consistent snapshot.
/// </summary>
public sealed class AccountRegistry
{
    private readonly Account[] _configured;
    private readonly Dictionary<string, Account[]> _authorizers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WithdrawnAuthorizer[]> _withdrawn = new(StringComparer.Ordinal);
    private readonly Lock _writing = new();
    private volatile Snapshot _snapshot;

    public AccountRegistry(IOptions<AccountsOptions> options)
    {
        // Validated on start (by the same parser), so nothing is wrong here unless the registry is resolved first.
        var errors = new List<string>();
        _configured = AccountSettingsParser.Parse(options.Value, errors).ToArray();
        if (errors.Count > 0)
            throw new OptionsValidationException(AccountsOptions.Section, typeof(AccountsOptions), errors);
        _snapshot = new Snapshot(_configured);
    }

    /// <summary>The configured accounts, then each platform's authorized accounts.</summary>
    public IReadOnlyList<Account> All => _snapshot.All;

    /// <summary>The accounts whose wx.config carries this appId: one official account, or the apps of one WeCom corp.</summary>
    public IReadOnlyList<Account> WithAppId(string appId) => _snapshot.ByAppId.TryGetValue(appId, out var accounts) ? accounts : [];

    /// <summary>The account whose credentials are stored under this key (<see cref="Account.StorageKey"/>), or null.</summary>
    public Account? WithStorageKey(string storageKey) => _snapshot.ByStorageKey.GetValueOrDefault(storageKey);

    /// <summary>
    /// Why no account has this appId though one did: it withdrew its authorization of a platform (and authorizes no other
    /// here). Null when no such record is held.
    /// </summary>
    public WithdrawnAuthorizer? Withdrawn(string appId) => _snapshot.WithdrawnByAppId.GetValueOrDefault(appId);

    /// <summary>
    /// Replaces a platform's authorizers (those currently authorized) with what storage holds, and its withdrawn ones
    /// (unauthorized), which every route then refuses by name.
    /// </summary>
    public void SetAuthorizers(string platform, IReadOnlyList<Account> authorizers, IReadOnlyList<WithdrawnAuthorizer>? withdrawn = null)
    {
        withdrawn ??= [];
        lock (_writing)
        {
            if (_authorizers.TryGetValue(platform, out var held) && held.Select(a => a.AppId).SequenceEqual(authorizers.Select(a => a.AppId))
                && _withdrawn.TryGetValue(platform, out var heldWithdrawn) && heldWithdrawn.SequenceEqual(withdrawn))
                return;
            _authorizers[platform] = [.. authorizers];
            _withdrawn[platform] = [.. withdrawn];
            _snapshot = new Snapshot([.. _configured, .. _authorizers.OrderBy(p => p.Key, StringComparer.Ordinal).SelectMany(p => p.Value)],
                _withdrawn.Values.SelectMany(w => w));
        }
    }

    private sealed class Snapshot
    {
        public Snapshot(Account[] all, IEnumerable<WithdrawnAuthorizer>? withdrawn = null)
        {
            All = all;
            ByAppId = all.GroupBy(a => a.AppId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
            ByStorageKey = new Dictionary<string, Account>(StringComparer.Ordinal);
            foreach (var account in all)
                ByStorageKey.TryAdd(account.StorageKey, account);
            // An appId served by another platform (or configured) is not withdrawn; of two platforms it left, the latest says.
            WithdrawnByAppId = (withdrawn ?? []).Where(w => !ByAppId.ContainsKey(w.AppId))
                .GroupBy(w => w.AppId, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.MaxBy(w => w.UnauthorizedAt)!, StringComparer.Ordinal);
        }

        public Account[] All { get; }
        public Dictionary<string, Account[]> ByAppId { get; }
        public Dictionary<string, Account> ByStorageKey { get; }
        public Dictionary<string, WithdrawnAuthorizer> WithdrawnByAppId { get; }
    }

    public Account? FindByName(string name) => All.FirstOrDefault(a => a.Name == name);

    /// <summary>Whether any account's domains include this host: an origin there gets CORS.</summary>
    /// <param name="host">A host as <see cref="Uri.IdnHost"/> gives it.</param>
    public bool AnyAllows(string host)
    {
        foreach (var account in _snapshot.All)
            if (account.AllowedDomains.Allows(host))
                return true;
        return false;
    }
}
