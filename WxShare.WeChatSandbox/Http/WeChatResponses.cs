using System.Diagnostics;
using WxShare.WeChatSandbox.Domain;

namespace WxShare.WeChatSandbox.Http;

/// <summary>Turns outcomes into WeChat-shaped HTTP responses: always HTTP 200, errors as errcode/errmsg with a rid.</summary>
internal static class WeChatResponses
{
    public static IResult From(WeChatOutcome outcome) => outcome switch
    {
        AccessTokenIssued token => Json(new AccessTokenBody(token.AccessToken, token.ExpiresIn)),
        TicketIssued ticket => Json(new TicketBody(0, "ok", ticket.Ticket, ticket.ExpiresIn)),
        WeChatError error => Error(error.Code),
        CallbackIpList list => Json(new CallbackIpBody(list.IpList)),
        _ => throw new UnreachableException($"Unhandled outcome {outcome.GetType().Name}."),
    };

    /// <summary>An error answer with a fresh rid: see <see cref="WeChatErrorResult"/>.</summary>
    public static IResult Error(int errcode) => new WeChatErrorResult(errcode);

    public static IResult Json<T>(T body) => Results.Json(body, SandboxJson.WeChat, SandboxJson.WeChatContentType);
}
