using Microsoft.AspNetCore.Http;
using WxShare.Accounts;
using WxShare.Signing;

namespace WxShare.Operations;

/// <summary>
/// The account an operator route acts on: the one its <c>appId</c> names, or the only one when a deployment has one.
/// Unlike page signing there is no page host to choose by, so several accounts need the <c>appId</c>.
/// </summary>
public sealed class OperatorAccounts(AccountRegistry registry)
{
    public AccountSelection Find(IQueryCollection query)
    {
        var appIds = query[AccountSelector.AppIdParameter];
        if (appIds.Count > 1)
            return Reject(RejectedRequest.BadRequest("appid_repeated", $"The query parameter '{AccountSelector.AppIdParameter}' appears more than once: name one account."));
        var appId = appIds.ToString().Trim();
        if (appId.Length == 0)
            return registry.All is [var only]
                ? new AccountSelection(only, null)
                : Reject(RejectedRequest.BadRequest("appid_missing",
                    $"Several accounts are configured here ({KnownAppIds()}): name one with '?{AccountSelector.AppIdParameter}=…'."));
        return registry.FindByAppId(appId) is { } account
            ? new AccountSelection(account, null)
            : Reject(new RejectedRequest(404, new ApiError("account_unknown",
                $"No account with appId '{(appId.Length > 40 ? appId[..40] + "…" : appId)}' is configured here. Configured: {KnownAppIds()}.")));
    }

    private string KnownAppIds() => string.Join(", ", registry.All.Select(a => a.AppId));

    private static AccountSelection Reject(RejectedRequest rejection) => new(null, rejection);
}
