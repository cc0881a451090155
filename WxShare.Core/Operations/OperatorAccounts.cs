using Microsoft.AspNetCore.Http;
using WxShare.Accounts;
using WxShare.Signing;

namespace WxShare.Operations;

/// <summary>
/// The account an operator route acts on: the one its <c>appId</c> (and, for one app of a WeCom corp, <c>agentId</c>)
/// names, or the only one when a deployment has one. The names are read and looked up as the config route reads them
/// (<see cref="AccountQuery"/>); unlike page signing there is no page host to choose by, so they must name one account.
/// </summary>
public sealed class OperatorAccounts(AccountRegistry registry)
{
    public AccountSelection Find(IQueryCollection query)
    {
        if (AccountQuery.TryParse(query, out var names) is { } malformed)
            return Reject(malformed);
        if (names is { AppId: null, AgentId: null } && registry.All is [var single])
            return new AccountSelection(single, null);
        if (names.AppId is null && names.AgentId is null)
            return Reject(AppIdMissing($"Several accounts are configured here ({AccountQuery.Describe(registry.All)})"));
        if (names.TryMatch(registry, out var matched) is { } unknown)
            return Reject(unknown);
        return matched switch
        {
            [var only] => new AccountSelection(only, null),
            // Only agentId given, and apps of several corps have it.
            _ when names.AppId is null => Reject(AppIdMissing($"Several WeCom apps have agentId '{names.AgentId}' ({AccountQuery.Describe(matched)})")),
            // The appId is a corp's with several apps.
            _ => Reject(RejectedRequest.BadRequest("agentid_missing",
                $"{matched.Length} WeCom apps of corp '{names.AppId}' are configured here ({AccountQuery.Describe(matched)}): "
                + $"name one with '&{AccountQuery.AgentIdParameter}=…'.")),
        };
    }

    private static RejectedRequest AppIdMissing(string why) =>
        RejectedRequest.BadRequest("appid_missing",
            $"{why}: name one with '?{AccountQuery.AppIdParameter}=…' (and '&{AccountQuery.AgentIdParameter}=…' for a WeCom app).");

    private static AccountSelection Reject(RejectedRequest rejection) => new(null, rejection);
}
