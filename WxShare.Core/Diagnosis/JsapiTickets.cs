using WxShare.Accounts;
using WxShare.WeChat;

namespace WxShare.Diagnosis;

/// <summary>
/// The account's stored JS-SDK tickets, each with the one it replaced. Secrets: used to compute signatures, never shown.
/// </summary>
/// <param name="Current">The ticket that signs wx.config: an official account's jsapi_ticket, or a WeCom app's corp ticket.</param>
public sealed record JsapiTickets(IssuedCredential? Current, IssuedCredential? Previous)
{
    /// <summary>The store could not be read, so no signature can be checked.</summary>
    public static readonly JsapiTickets Unknown = new(null, null) { Known = false };

    public bool Known { get; init; } = true;

    /// <summary>The account's last refresh failure with its advice (<see cref="Errors.ApiErrorAdvisor.Describe"/>); null when the last refresh succeeded.</summary>
    public string? LastFailure { get; init; }

    /// <summary>A WeCom app's agent ticket (wx.agentConfig).</summary>
    public IssuedCredential? AgentCurrent { get; init; }
    public IssuedCredential? AgentPrevious { get; init; }

    /// <summary>The tickets of the corp's other apps, by AgentId: a page that asked for another app's config signed with them.</summary>
    public IReadOnlyDictionary<string, JsapiTickets> OtherApps { get; init; } = new Dictionary<string, JsapiTickets>();

    /// <summary>
    /// The tickets of the other official accounts whose domains hold the page's host (a platform's authorizers share its
    /// domains), read only when a signature is checked: a page that asked the config route for one account and gave
    /// wx.config another's appId signed with the first one's ticket.
    /// </summary>
    public IReadOnlyList<OtherAccountTickets> OtherAccounts { get; init; } = [];
}

/// <summary>Another account's stored tickets, for telling its signatures apart. Secrets: never shown.</summary>
public sealed record OtherAccountTickets(Account Account, JsapiTickets Tickets);
