using Microsoft.AspNetCore.Http;
using WxShare.Http;

namespace WxShare.Accounts;

/// <summary>
/// The one account lookup of every route (config, cards, operator routes, diagnose): the account the request names by
/// <c>appId</c> (a WeCom app's CorpId) and <c>agentId</c>, settled by what it is for (<see cref="AccountUse"/>). A page
/// is signed by the named account whose allowed domains hold its host, else by the one account whose domains do.
/// Overlapping domains are allowed, because such a request can name its account.
/// A refusal never lists other accounts (their appIds or domains): it says what to pass, not which accounts exist.
/// </summary>
public sealed class AccountSelector(AccountRegistry registry, KeyCheck? keys = null)
{
    public const string AppIdParameter = AccountQuery.AppIdParameter;
    public const string AgentIdParameter = AccountQuery.AgentIdParameter;

    /// <summary>The names as a route's query gives them, read once (<see cref="AccountQuery.TryParse(IQueryCollection, out AccountQuery)"/>).</summary>
    public AccountSelection Select(IQueryCollection query, AccountUse use) =>
        AccountQuery.TryParse(query, out var names) is { } malformed ? Reject(malformed) : Select(names, use);

    /// <summary>The names as the config route's query gives them (<see cref="Signing.ConfigQuery"/>).</summary>
    public AccountSelection Select(Signing.ConfigQuery query, AccountUse use) =>
        AccountQuery.TryParse(query.AppId, query.AgentId, out var names) is { } malformed ? Reject(malformed) : Select(names, use);

    /// <summary>
    /// As <see cref="Select(IQueryCollection, AccountUse)"/>, and then the call's key must reach the account (403 key_scope),
    /// and <paramref name="admit"/>, the route's own condition on the account (the relay on, an official account), must pass.
    /// </summary>
    public AccountSelection Select(HttpRequest request, AccountUse use, Func<Account, Refusal?>? admit = null)
    {
        var selection = InKeyScope(request.HttpContext, Select(request.Query, use));
        return selection.Account is { } account && admit?.Invoke(account) is { } notAdmitted ? Reject(notAdmitted) : selection;
    }

    /// <summary>A selection the call's key does not reach becomes a 403 key_scope; a call without a key is not narrowed.</summary>
    public AccountSelection InKeyScope(HttpContext context, AccountSelection selection) =>
        selection.Account is { } account && keys?.CheckAccount(context, account) is { } outOfScope ? Reject(outOfScope) : selection;

    public AccountSelection Select(AccountQuery names, AccountUse use) => use switch
    {
        AccountUse.SigningPage page => ForPage(names, page.Host),
        AccountUse.SigningCards => ForCards(names),
        _ => ForOperator(names),
    };

    private AccountSelection ForPage(AccountQuery names, PageHost page)
    {
        if (names.TryMatch(registry, out var candidates) is { } unknown)
            return Reject(unknown);
        var allowing = Allowing(candidates, page.Name);
        return allowing switch
        {
            [var only] => new AccountSelection(only, null),
            [] => Reject(names.AppId is { } appId ? NotAllowedForNamed(page, appId, candidates[0]) : NotAllowedForAny(page)),
            _ => Reject(Ambiguous(page, allowing)),
        };
    }

    /// <summary>The card routes take no agentId: the account named by appId, or else the only account.</summary>
    private AccountSelection ForCards(AccountQuery names)
    {
        if (names.AppId is not { } appId)
            return registry.All is [var only]
                ? new AccountSelection(only, null)
                : Reject(Refusal.Invalid("account_ambiguous",
                    $"Several accounts are configured here: pass '{AppIdParameter}' to say which one signs."));
        if ((names with { AgentId = null }).TryMatch(registry, out var named) is { } unknown)
            return Reject(unknown);
        return named switch
        {
            [var only] => new AccountSelection(only, null),
            var several => Reject(Refusal.Invalid("account_ambiguous",
                $"{several.Length} accounts have appId '{appId}': this route cannot tell them apart.")),
        };
    }

    /// <summary>No page host to choose by, so the names must name one account (or the deployment has one).</summary>
    private AccountSelection ForOperator(AccountQuery names)
    {
        if (names is { AppId: null, AgentId: null })
            return registry.All is [var single]
                ? new AccountSelection(single, null)
                : Reject(AppIdMissing("Several accounts are configured here"));
        if (names.TryMatch(registry, out var matched) is { } unknown)
            return Reject(unknown);
        return matched switch
        {
            [var only] => new AccountSelection(only, null),
            // Only agentId given, and apps of several corps have it.
            _ when names.AppId is null => Reject(AppIdMissing($"Several WeCom apps have agentId '{names.AgentId}'")),
            // The appId is a corp's with several apps.
            _ => Reject(Refusal.Invalid("agentid_missing",
                $"{matched.Length} WeCom apps of corp '{names.AppId}' are configured here: "
                + $"name one with '&{AgentIdParameter}=…'.")),
        };
    }

    /// <summary>The candidates whose domains hold the host: a loop, as this runs on every signing request (LINQ and its closure cost two allocations).</summary>
    private static Account[] Allowing(Account[] candidates, string host)
    {
        if (candidates is [var single])
            return single.AllowedDomains.Allows(host) ? candidates : [];
        var allowing = new List<Account>(candidates.Length);
        foreach (var account in candidates)
            if (account.AllowedDomains.Allows(host))
                allowing.Add(account);
        return allowing.ToArray();
    }

    private static Refusal AppIdMissing(string why) =>
        Refusal.Invalid("appid_missing", $"{why}: name one with '?{AppIdParameter}=…' (and '&{AgentIdParameter}=…' for a WeCom app).");

    private static Refusal NotAllowedForNamed(PageHost page, string appId, Account account) =>
        Refusal.NotAllowed("domain_not_allowed",
            $"The host '{page.Display}' is not among the allowed domains of the account with appId '{appId}' ({account.AllowedDomains.Display}). "
            + $"Add it to the setting {account.SettingName("AllowedDomains")}, and to the account's JS-safe domains in the admin panel.");

    private static Refusal NotAllowedForAny(PageHost page) =>
        Refusal.NotAllowed("domain_not_allowed",
            $"The host '{page.Display}' is not among the allowed domains of any account here. Add it to the AllowedDomains setting of its account (e.g. Accounts__<name>__AllowedDomains, or Signing__AllowedDomains), "
            + "and to the account's JS-safe domains in the WeChat admin panel.");

    private static Refusal Ambiguous(PageHost page, Account[] accounts) =>
        Refusal.Invalid("account_ambiguous",
            $"The host '{page.Display}' is on the allowed domains of several accounts: "
            + (accounts.All(a => a.Kind == AccountKind.WeCom && a.AppId == accounts[0].AppId)
                ? $"they are apps of one WeCom corp, so pass '{AgentIdParameter}' to say which app signs this page."
                : $"pass '{AppIdParameter}' (and '{AgentIdParameter}' for a WeCom app) to say which account signs this page."));

    private static AccountSelection Reject(Refusal rejection) => new(null, rejection);
}
