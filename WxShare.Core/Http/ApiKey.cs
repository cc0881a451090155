using WxShare.Accounts;

namespace WxShare.Http;

/// <summary>A key as checked: its name (never its secret) and what it may reach.</summary>
public sealed class ApiKey(string name, IReadOnlySet<string>? routes, IReadOnlySet<string>? accounts)
{
    /// <summary><c>&lt;name&gt;</c> of <c>Keys__&lt;name&gt;__*</c>: what the log and a 403 say.</summary>
    public string Name { get; } = name;

    /// <summary>Null for <c>*</c>.</summary>
    private readonly IReadOnlySet<string>? _routes = routes;

    /// <summary>Account names and appIds (case-insensitive); null for <c>*</c>.</summary>
    private readonly IReadOnlySet<string>? _accounts = accounts;

    public bool AllowsRoute(string route) => _routes is null || _routes.Contains(route);

    /// <summary>By the account's name, or its appId (a WeCom corpId names every app of the corp).</summary>
    public bool AllowsAccount(Account account) =>
        _accounts is null || _accounts.Contains(account.Name) || _accounts.Contains(account.AppId);

    /// <summary>Whether it may reach every account: what a view across all accounts needs.</summary>
    public bool AllowsAllAccounts => _accounts is null;

    public override string ToString() => $"ApiKey {{ Name = {Name} }}";
}
