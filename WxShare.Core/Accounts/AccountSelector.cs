using Microsoft.AspNetCore.Http;
using WxShare.Signing;

namespace WxShare.Accounts;

/// <summary>
/// Chooses the account that signs a page: the one the request names by <c>appId</c>, else the one whose allowed
/// domains hold the page's host. Overlapping domains are allowed, because such a request can name its account.
/// </summary>
public sealed class AccountSelector(AccountRegistry registry)
{
    public const string AppIdParameter = "appId";

    public AccountSelection Select(IQueryCollection query, Uri page)
    {
        var appIds = query[AppIdParameter];
        if (appIds.Count > 1)
            return Reject(RejectedRequest.BadRequest("appid_repeated", $"The query parameter '{AppIdParameter}' appears more than once: name one account."));
        var appId = appIds.ToString().Trim();
        return appId.Length > 0 ? SelectNamed(appId, page) : SelectByHost(page);
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
        return registry.WithAppId(appId) switch
        {
            [var only] => new AccountSelection(only, null),
            [] => Reject(Unknown(appId)),
            var several => Reject(RejectedRequest.BadRequest("account_ambiguous",
                $"{several.Count} accounts have appId '{appId}': this route cannot tell them apart.")),
        };
    }

    private AccountSelection SelectNamed(string appId, Uri page)
    {
        var accounts = registry.WithAppId(appId);
        if (accounts.Count == 0)
            return Reject(Unknown(appId));
        var allowing = accounts.Where(a => a.AllowedDomains.Allows(page.IdnHost)).ToArray();
        return allowing switch
        {
            [var only] => new AccountSelection(only, null),
            [] => Reject(RejectedRequest.Forbidden("domain_not_allowed",
                $"The host '{page.Host}' is not among the allowed domains of the account with appId '{appId}' ({accounts[0].AllowedDomains.Display}). "
                + $"Add it to the setting {accounts[0].SettingName("AllowedDomains")}, and to the account's JS-safe domains in the admin panel.")),
            _ => Reject(Ambiguous(page, allowing)),
        };
    }

    private AccountSelection SelectByHost(Uri page)
    {
        var allowing = registry.All.Where(a => a.AllowedDomains.Allows(page.IdnHost)).ToArray();
        return allowing switch
        {
            [var only] => new AccountSelection(only, null),
            [] => Reject(RejectedRequest.Forbidden("domain_not_allowed",
                $"The host '{page.Host}' is not among the allowed domains of any account ("
                + string.Join("; ", registry.All.Select(a => $"{a.AppId}: {a.AllowedDomains.Display}"))
                + "). Add it to the AllowedDomains setting of its account (e.g. Accounts__<name>__AllowedDomains, or Signing__AllowedDomains), "
                + "and to the account's JS-safe domains in the WeChat admin panel.")),
            _ => Reject(Ambiguous(page, allowing)),
        };
    }

    private static RejectedRequest Unknown(string appId) =>
        new(404, new ApiError("account_unknown",
            $"No account with appId '{Excerpt(appId)}' is configured here. Pass the AppID of one of the configured accounts, or leave "
            + $"'{AppIdParameter}' out to choose the account by the page's domain."));

    private static RejectedRequest Ambiguous(Uri page, Account[] accounts) =>
        RejectedRequest.BadRequest("account_ambiguous",
            $"The host '{page.Host}' is on the allowed domains of {accounts.Length} accounts "
            + $"({string.Join(", ", accounts.Select(a => a.AgentId is null ? a.AppId : $"{a.AppId} agent {a.AgentId}"))}): "
            + $"pass '{AppIdParameter}' to say which account signs this page.");

    private static string Excerpt(string value) => value.Length <= 40 ? value : value[..40] + "...";

    private static AccountSelection Reject(RejectedRequest rejection) => new(null, rejection);
}
