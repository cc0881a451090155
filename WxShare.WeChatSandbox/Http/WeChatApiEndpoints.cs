using System.Text.Json;
using WxShare.WeChatSandbox.Domain;

namespace WxShare.WeChatSandbox.Http;

/// <summary>The api.weixin.qq.com endpoints the sandbox fakes.</summary>
internal static class WeChatApiEndpoints
{
    public static void MapWeChatApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/cgi-bin/token", GetTokenAsync);
        routes.MapPost("/cgi-bin/stable_token", PostStableTokenAsync);
        routes.MapGet("/cgi-bin/ticket/getticket", GetTicketAsync);
        routes.MapGet("/cgi-bin/getcallbackip", GetCallbackIpAsync);
    }

    private static async Task<IResult> GetCallbackIpAsync(HttpRequest request, WeChatSandboxState state)
    {
        if (await FaultResponses.ApplyAsync(state.BeginCall(SandboxEndpoint.CallbackIp), SandboxEndpoint.CallbackIp, request.HttpContext.RequestAborted) is { } faulted)
            return faulted;

        return WeChatResponses.From(state.Backend.ListCallbackIps(request.Query["access_token"]));
    }

    private static async Task<IResult> GetTokenAsync(HttpRequest request, WeChatSandboxState state)
    {
        if (await FaultResponses.ApplyAsync(state.BeginCall(SandboxEndpoint.Token), SandboxEndpoint.Token, request.HttpContext.RequestAborted) is { } faulted)
            return faulted;

        var query = request.Query;
        return WeChatResponses.From(state.Backend.IssueClassicToken(query["grant_type"], query["appid"], query["secret"]));
    }

    private static async Task<IResult> PostStableTokenAsync(HttpRequest request, WeChatSandboxState state)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        if (await FaultResponses.ApplyAsync(state.BeginCall(SandboxEndpoint.StableToken), SandboxEndpoint.StableToken, cancellationToken) is { } faulted)
            return faulted;

        // WeChat ignores the content type and parses the body as JSON whatever it is labelled.
        StableTokenRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<StableTokenRequest>(request.Body, SandboxJson.WeChat, cancellationToken);
        }
        catch (JsonException)
        {
            body = null;
        }

        if (body is null)
            return WeChatResponses.Error(WeChatErrorCodes.DataFormatError);

        return WeChatResponses.From(state.Backend.GetStableToken(body.GrantType, body.AppId, body.Secret, body.ForceRefresh ?? false));
    }

    private static async Task<IResult> GetTicketAsync(HttpRequest request, WeChatSandboxState state)
    {
        if (await FaultResponses.ApplyAsync(state.BeginCall(SandboxEndpoint.Ticket), SandboxEndpoint.Ticket, request.HttpContext.RequestAborted) is { } faulted)
            return faulted;

        var query = request.Query;
        return WeChatResponses.From(state.Backend.IssueTicket(query["access_token"], query["type"]));
    }
}
