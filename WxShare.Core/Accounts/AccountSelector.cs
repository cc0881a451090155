using Microsoft.AspNetCore.Http;
using WxShare.Signing;

namespace WxShare.Accounts;

/// <summary>
/// Chooses the account that signs a page: the one the request names by <c>appId</c>, else the one whose allowed
/// domains hold the page's host. Overlapping domains are allowed, because such a request can name its account.
/// The apps of one WeCom corp share its CorpId as appId, so <c>agentId</c> names one of them.
/// </summary>
public sealed class AccountSelector(AccountRegistry registry)
{
    public const string AppIdParameter = AccountQuery.AppIdParameter;
    public const string AgentIdParameter = AccountQuery.AgentIdParameter;

    public AccountSelection Select(IQueryCollection query, Uri page)
    {
        if (AccountQuery.TryParse(query, out var names) is { } malformed)
            return Reject(malformed);
        if (names.TryMatch(registry, out var candidates) is { } unknown)
            return Reject(unknown);
        var allowing = candidates.Where(a => a.AllowedDomains.Allows(page.IdnHost)).ToArray();
        return allowing switch
        {
            [var only] => new AccountSelection(only, null),
            [] => Reject(names.AppId is { } appId ? NotAllowedForNamed(page, appId, candidates[0]) : NotAllowedForAny(page)),
            _ => Reject(Ambiguous(page, allowing)),
        };
    }

    /// <summary>For routes without a page URL (the card routes): the account named by <c>appId</c>, or else the only account.</summary>
    public AccountSelection SelectWithoutPage(IQueryCollection query)
    {
        var appId = query[AppIdParameter].ToString().Trim();
        if (appId.Length == 0)
            return registry.All is [var only]
                ? new AccountSelection(only, null)
                : Reject(RejectedRequest.BadRequest("account_ambiguous",
                    $"{registry.All.Count} accounts are configured here ({string.Join(", ", registry.All.Select(a => a.AppId))}): pass '{AppIdParameter}' to say which one signs."));
        if (new AccountQuery(appId, null).TryMatch(registry, out var named) is { } unknown)
            return Reject(unknown);
        return named switch
        {
            [var only] => new AccountSelection(only, null),
            var several => Reject(RejectedRequest.BadRequest("account_ambiguous",
                $"{several.Length} accounts have appId '{appId}': this route cannot tell them apart.")),
        };
    }

    private static RejectedRequest NotAllowedForNamed(Uri page, string appId, Account account) =>
        RejectedRequest.Forbidden("domain_not_allowed",
            $"The host '{page.Host}' is not among the allowed domains of the account with appId '{appId}' ({account.AllowedDomains.Display}). "
            + $"Add it to the setting {account.SettingName("AllowedDomains")}, and to the account's JS-safe domains in the admin panel.");

    private RejectedRequest NotAllowedForAny(Uri page) =>
        RejectedRequest.Forbidden("domain_not_allowed",
            $"The host '{page.Host}' is not among the allowed domains of any account ("
            + string.Join("; ", registry.All.Select(a => $"{a.AppId}: {a.AllowedDomains.Display}"))
            + "). Add it to the AllowedDomains setting of its account (e.g. Accounts__<name>__AllowedDomains, or Signing__AllowedDomains), "
            + "and to the account's JS-safe domains in the WeChat admin panel.");

    private static RejectedRequest Ambiguous(Uri page, Account[] accounts) =>
        RejectedRequest.BadRequest("account_ambiguous",
            $"The host '{page.Host}' is on the allowed domains of {accounts.Length} accounts "
            + $"({AccountQuery.Describe(accounts)}): "
            + (accounts.All(a => a.Kind == AccountKind.WeCom && a.AppId == accounts[0].AppId)
                ? $"they are apps of one WeCom corp, so pass '{AgentIdParameter}' to say which app signs this page."
                : $"pass '{AppIdParameter}' (and '{AgentIdParameter}' for a WeCom app) to say which account signs this page."));

    private static AccountSelection Reject(RejectedRequest rejection) => new(null, rejection);
}
