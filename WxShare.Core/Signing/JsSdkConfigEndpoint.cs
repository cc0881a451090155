using Microsoft.AspNetCore.Http;
using WxShare.Accounts;
using WxShare.Errors;
using WxShare.Http;
using WxShare.WeCom;

namespace WxShare.Signing;

/// <summary>
/// GET /api/jssdk/config?url=...: the signed wx.config for a page. Hosted by the Functions app and by the
/// standalone host alike. Never calls WeChat, and never waits on storage while a valid ticket is in memory.
/// </summary>
public sealed class JsSdkConfigEndpoint(
    PageUrlValidator urlValidator,
    AccountSelector accounts,
    SigningTicketCache tickets,
    TimeProvider time)
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(60);

    /// <summary>After the edge (<see cref="HttpEdge"/>): no-store, CORS, the preflight and the method are settled.</summary>
    public async ValueTask<IResult> HandleAsync(HttpRequest request)
    {
        var response = request.HttpContext.Response;
        var query = ConfigQuery.Of(request);
        var check = urlValidator.Check(query);
        if (check.Rejection is { } rejection)
            return ApiErrors.Refused(response, rejection);

        var selection = accounts.Select(query, AccountUse.Page(check.Host!.Value));
        if (selection.Rejection is { } notSelected)
            return ApiErrors.Refused(response, notSelected);
        var account = selection.Account!;
        // RequestAborted is read only when storage must be waited for: Kestrel sets the token up on first read.
        var lookup = tickets.TryGetInMemory(account.StorageKey, out var inMemory)
            ? inMemory
            : await tickets.GetAsync(account.StorageKey, request.HttpContext.RequestAborted);
        if (lookup.Ticket is null)
            return ApiErrors.Refused(response, NoTicket(account, lookup));

        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        if (account.Kind == AccountKind.WeCom)
            return lookup.AgentTicket is { } agentTicket
                ? new SignedConfigResult<WeComJsSdkConfig>(WeComConfigSigner.Sign(account, lookup.Ticket.Value, agentTicket.Value, check.Url!, timestamp), WxShareJsonContext.Default.WeComJsSdkConfig)
                : ApiErrors.Refused(response, NoTicket(account, lookup, "agent ticket (wx.agentConfig)"));
        var nonce = JsSdkSignature.NewNonce();
        var signature = JsSdkSignature.Compute(lookup.Ticket.Value, nonce, timestamp, check.Url!);
        return new SignedConfigResult<JsSdkConfig>(new JsSdkConfig(account.AppId, timestamp, nonce, signature, check.Url!), WxShareJsonContext.Default.JsSdkConfig);
    }

    private Refusal NoTicket(Account account, TicketLookup lookup, string ticket = "jsapi_ticket") => Refusal.Unavailable("ticket_unavailable",
        lookup.LastFailure is { } failure
            ? $"No valid {ticket} is stored. {ApiErrorAdvisor.PublicNote(account, failure)} "
              + $"Retry after {RetryAfter.TotalSeconds} seconds."
            : $"No valid {ticket} is stored yet: the refresh has not completed (a fresh deployment gets one within minutes). Retry after {RetryAfter.TotalSeconds} seconds.",
        RetryAfter);
}
