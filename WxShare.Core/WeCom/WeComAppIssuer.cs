using WxShare.Accounts;
using WxShare.Errors;
using WxShare.Refresh;
using WxShare.Storage;
using WxShare.WeChat;

namespace WxShare.WeCom;

/// <summary>
/// A WeCom app: gettoken with the app's Secret, then the corp ticket (kept as the row's jsapi ticket, it signs
/// wx.config) and the agent ticket (wx.agentConfig), all in the app's own row. Every ticket call is first reserved
/// against WeCom's hourly limits (<see cref="WeComTicketBudget"/>). The corp ticket is fetched per app, with the app's
/// token: sharing it between apps would couple their failures and save only a call per 100 minutes.
/// </summary>
public sealed class WeComAppIssuer(WeComApiClient weCom, WeComTicketBudget budget) : ICredentialIssuer
{
    private static readonly ApiCall[] CorpAndAgentTickets = [ApiCall.JsapiTicket, ApiCall.AgentTicket];

    public bool Issues(Account account) => account.Kind == AccountKind.WeCom;

    public IReadOnlyList<ApiCall> Tickets(Account account) => CorpAndAgentTickets;

    /// <summary>WeCom has no stable token and no force_refresh: every gettoken is like WeChat's classic call.</summary>
    public bool TokenIsStable(Account account) => false;

    public Task<IssuedCredential> GetAccessTokenAsync(Account account, CredentialRecord stored, bool force, CancellationToken cancellationToken) =>
        weCom.GetAccessTokenAsync(account.AppId, account.AppSecret, cancellationToken);

    public Task<IssuedCredential> GetTicketAsync(Account account, ApiCall ticket, string accessToken, CancellationToken cancellationToken) =>
        ticket == ApiCall.AgentTicket
            ? weCom.GetAgentTicketAsync(accessToken, cancellationToken)
            : weCom.GetCorpTicketAsync(accessToken, cancellationToken);

    // The WeCom facts WxShare builds on name no call that only checks a token; a WeCom relay refresh stays a
    // plain gettoken (never forced, nothing rationed by the day), under the relay's rotate-if-current and per-minute rules.
    public Task<bool?> AcceptsAccessTokenAsync(Account account, string accessToken, CancellationToken cancellationToken) =>
        Task.FromResult<bool?>(null);

    public async Task ReserveTicketCallsAsync(Account account, IReadOnlyCollection<ApiCall> tickets, CancellationToken cancellationToken)
    {
        if (tickets.Count > 0 && await budget.TryReserveAsync(account, tickets.Count, cancellationToken) is { } allowedFrom)
            throw new HourlyLimitReachedException(tickets.First(), allowedFrom);
    }

    public ApiErrorKind Classify(ApiCall call, int? errorCode) => WeComErrorClassifier.Classify(call, errorCode);
}
