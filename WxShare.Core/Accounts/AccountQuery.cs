using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using WxShare.Signing;

namespace WxShare.Accounts;

/// <summary>
/// How a request names its account: <c>appId</c> (a WeCom app's CorpId) and <c>agentId</c> (one app of a corp).
/// Every route reads and looks the names up here (through <see cref="AccountSelector"/>), so a repeated, malformed or
/// unknown name gets the same answer from every route.
/// </summary>
/// <param name="AppId">Null when not given.</param>
/// <param name="AgentId">Null when not given; digits otherwise.</param>
public sealed record AccountQuery(string? AppId, string? AgentId)
{
    public const string AppIdParameter = "appId";
    public const string AgentIdParameter = "agentId";
    // No names given, the config route's common case: one shared instance instead of one per request (records are immutable).
    private static readonly AccountQuery None = new(null, null);

    /// <returns>Null when the names are well-formed (then <paramref name="names"/> holds them); else why not.</returns>
    public static Refusal? TryParse(IQueryCollection query, out AccountQuery names) =>
        TryParse(query[AppIdParameter], query[AgentIdParameter], out names);

    /// <summary>The names as a query gives them, each possibly repeated.</summary>
    public static Refusal? TryParse(StringValues appIds, StringValues agentIds, out AccountQuery names)
    {
        names = None;
        if (appIds.Count > 1)
            return Refusal.Invalid("appid_repeated", $"The query parameter '{AppIdParameter}' appears more than once: name one account.");
        if (agentIds.Count > 1)
            return Refusal.Invalid("agentid_repeated", $"The query parameter '{AgentIdParameter}' appears more than once: name one WeCom app.");
        return TryParse(appIds.ToString(), agentIds.ToString(), out names);
    }

    /// <summary>The names as given one by one (a report's body, the diagnose route's input): blank is not given; an agentId is digits.</summary>
    public static Refusal? TryParse(string? appId, string? agentId, out AccountQuery names)
    {
        names = None;
        agentId = agentId?.Trim() ?? "";
        if (agentId.Length > 0 && !agentId.All(char.IsAsciiDigit))
            return Refusal.Invalid("agentid_invalid",
                $"The query parameter '{AgentIdParameter}' is '{Excerpt(agentId)}': a WeCom app's AgentId is digits (e.g. 1000002).");
        appId = appId?.Trim() ?? "";
        if (appId.Length > 0 || agentId.Length > 0)
            names = new AccountQuery(appId.Length > 0 ? appId : null, agentId.Length > 0 ? agentId : null);
        return null;
    }

    /// <summary>
    /// The accounts these names can mean before anything else (a page's host) narrows them: those with the appId (every
    /// account without one), and of those the app with the agentId where one is given.
    /// </summary>
    /// <remarks>A refusal never lists the configured accounts: a caller learns only about the account it named.</remarks>
    /// <returns>
    /// Null when some account matches (then <paramref name="accounts"/> holds them, possibly the registry's own array:
    /// not to be written); else a NotFound refusal naming what is unknown, or 403 account_unauthorized for an authorizer
    /// that withdrew.
    /// </returns>
    public Refusal? TryMatch(AccountRegistry registry, out Account[] accounts)
    {
        var named = AppId is null ? registry.All : registry.WithAppId(AppId);
        // The registry's own array on the common path (no agentId): read only, never written, so not copied per request.
        accounts = AgentId is null ? named as Account[] ?? [.. named] : named.Where(a => a.AgentId == AgentId).ToArray();
        if (accounts.Length > 0)
            return null;
        if (AppId is not null && named.Count == 0 && registry.Withdrawn(AppId) is { } withdrawn)
            return withdrawn.Refusal();
        if (AgentId is not null && (AppId is null || named.Count > 0))
            return Refusal.NotFound("account_unknown",
                $"No WeCom app with agentId '{AgentId}' is configured here{(AppId is null ? "" : $" for appId '{AppId}'")} "
                + "Pass the AgentId of a configured app (Accounts__<name>__AgentId).");
        return Refusal.NotFound("account_unknown",
            $"No account with appId '{Excerpt(AppId!)}' is configured here. "
            + "Pass the AppID of a configured account, or a WeCom app's CorpId.");
    }


    private static string Excerpt(string value) => value.Length <= 40 ? value : value[..40] + "...";
}
