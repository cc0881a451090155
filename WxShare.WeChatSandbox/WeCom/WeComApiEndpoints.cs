using WxShare.WeChatSandbox.Http;

namespace WxShare.WeChatSandbox.WeCom;

/// <summary>The qyapi.weixin.qq.com endpoints the sandbox fakes, on the same server as WeChat's.</summary>
internal static class WeComApiEndpoints
{
    public static void MapWeComApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/cgi-bin/gettoken", async (HttpRequest request, WeComSandboxState state) =>
            await FaultResponses.ApplyAsync(state.BeginCall(SandboxEndpoint.WeComToken), SandboxEndpoint.WeComToken, request.HttpContext.RequestAborted)
            ?? Answer(state.Backend.IssueToken(request.Query["corpid"], request.Query["corpsecret"])));
        routes.MapGet("/cgi-bin/get_jsapi_ticket", (HttpRequest request, WeComSandboxState state) =>
            TicketAsync(request, state, SandboxEndpoint.WeComCorpTicket, WeComTicketKind.Corp));
        routes.MapGet("/cgi-bin/ticket/get", (HttpRequest request, WeComSandboxState state) =>
            TicketAsync(request, state, SandboxEndpoint.WeComAgentTicket, WeComTicketKind.Agent));
    }

    private static async Task<IResult> TicketAsync(HttpRequest request, WeComSandboxState state, SandboxEndpoint endpoint, WeComTicketKind kind)
    {
        string? accessToken = request.Query["access_token"];
        // Counted against the app before any fault: WeCom counts the calls it receives.
        state.Backend.Received(accessToken, kind);
        return await FaultResponses.ApplyAsync(state.BeginCall(endpoint), endpoint, request.HttpContext.RequestAborted)
               ?? Answer(state.Backend.IssueTicket(accessToken, kind, request.Query["type"]));
    }

    private static IResult Answer(WeComOutcome outcome) => outcome switch
    {
        WeComIssued issued => WeComResponses.Issued(issued),
        WeComError error => WeComResponses.Error(error.Code),
        _ => throw new InvalidOperationException($"Unhandled outcome {outcome.GetType().Name}."),
    };
}
