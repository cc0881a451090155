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
    public const string AppIdParameter = "appId";
    public const string AgentIdParameter = "agentId";

    public AccountSelection Select(IQueryCollection query, Uri page)
    {
        var appIds = query[AppIdParameter];
        if (appIds.Count > 1)
            return Reject(RejectedRequest.BadRequest("appid_repeated", $"The query parameter '{AppIdParameter}' appears more than once: name one account."));
        var agentIds = query[AgentIdParameter];
        if (agentIds.Count > 1)
            return Reject(RejectedRequest.BadRequest("agentid_repeated", $"The query parameter '{AgentIdParameter}' appears more than once: name one WeCom app."));
        var agentId = agentIds.ToString().Trim();
        if (agentId.Length > 0 && !agentId.All(char.IsAsciiDigit))
            return Reject(RejectedRequest.BadRequest("agentid_invalid",
                $"The query parameter '{AgentIdParameter}' is '{Excerpt(agentId)}': a WeCom app's AgentId is digits (e.g. 1000002)."));
        var appId = appIds.ToString().Trim();
        var agent = agentId.Length > 0 ? agentId : null;
        return appId.Length > 0 ? SelectNamed(appId, agent, page) : SelectByHost(agent, page);
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

    private AccountSelection SelectNamed(string appId, string? agentId, Uri page)
    {
        var accounts = registry.WithAppId(appId).Where(a => agentId is null || a.AgentId == agentId).ToArray();
        if (accounts.Length == 0 && agentId is not null && registry.WithAppId(appId).Count > 0)
            return Reject(UnknownAgent(agentId, $"of the account with appId '{appId}'"));
        if (accounts.Length == 0)
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

    private AccountSelection SelectByHost(string? agentId, Uri page)
    {
        var candidates = registry.All.Where(a => agentId is null || a.AgentId == agentId).ToArray();
        if (candidates.Length == 0)
            return Reject(UnknownAgent(agentId!, "configured here"));
        var allowing = candidates.Where(a => a.AllowedDomains.Allows(page.IdnHost)).ToArray();
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
            + (accounts.All(a => a.Kind == AccountKind.WeCom && a.AppId == accounts[0].AppId)
                ? $"they are apps of one WeCom corp, so pass '{AgentIdParameter}' to say which app signs this page."
                : $"pass '{AppIdParameter}' (and '{AgentIdParameter}' for a WeCom app) to say which account signs this page."));

    private static RejectedRequest UnknownAgent(string agentId, string where) =>
        new(404, new ApiError("account_unknown",
            $"No WeCom app with agentId '{agentId}' {where}. Pass the AgentId of a configured app (Accounts__<name>__AgentId), or leave "
            + $"'{AgentIdParameter}' out when the page's domain or appId names one account."));

    private static string Excerpt(string value) => value.Length <= 40 ? value : value[..40] + "...";

    private static AccountSelection Reject(RejectedRequest rejection) => new(null, rejection);
}
