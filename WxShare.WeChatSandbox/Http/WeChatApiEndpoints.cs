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

    /// <summary>WeChat's callback addresses while the token works, 40001/42001 once it does not: how a caller asks whether a token is dead.</summary>
    private static async Task<IResult> GetCallbackIpAsync(HttpRequest request, WeChatSandboxState state)
    {
        var accessToken = request.Query["access_token"];
        SandboxCall.Of(request.HttpContext).AppId = state.Backend.AppIdOf(accessToken);
        if (await FaultResponses.ApplyAsync(state.BeginCall(SandboxEndpoint.CallbackIp), SandboxEndpoint.CallbackIp, request.HttpContext.RequestAborted) is { } faulted)
            return faulted;

        return WeChatResponses.From(state.Backend.ListCallbackIps(accessToken));
    }

    private static async Task<IResult> GetTokenAsync(HttpRequest request, WeChatSandboxState state)
    {
        var query = request.Query;
        SandboxCall.Of(request.HttpContext).AppId = query["appid"];
        if (await FaultResponses.ApplyAsync(state.BeginCall(SandboxEndpoint.Token), SandboxEndpoint.Token, request.HttpContext.RequestAborted) is { } faulted)
            return faulted;
        if (IsRefusedByIpWhitelist(request, state))
            return WeChatResponses.Error(WeChatErrorCodes.InvalidIp);

        return WeChatResponses.From(state.Backend.IssueClassicToken(query["grant_type"], query["appid"], query["secret"]));
    }

    private static async Task<IResult> PostStableTokenAsync(HttpRequest request, WeChatSandboxState state)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
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

        SandboxCall.Of(request.HttpContext).AppId = body?.AppId;
        if (await FaultResponses.ApplyAsync(state.BeginCall(SandboxEndpoint.StableToken), SandboxEndpoint.StableToken, cancellationToken) is { } faulted)
            return faulted;
        if (body is null)
            return WeChatResponses.Error(WeChatErrorCodes.DataFormatError);
        if (IsRefusedByIpWhitelist(request, state))
            return WeChatResponses.Error(WeChatErrorCodes.InvalidIp);

        return WeChatResponses.From(state.Backend.GetStableToken(body.GrantType, body.AppId, body.Secret, body.ForceRefresh ?? false));
    }

    private static async Task<IResult> GetTicketAsync(HttpRequest request, WeChatSandboxState state)
    {
        var query = request.Query;
        SandboxCall.Of(request.HttpContext).AppId = state.Backend.AppIdOf(query["access_token"]);
        if (await FaultResponses.ApplyAsync(state.BeginCall(SandboxEndpoint.Ticket), SandboxEndpoint.Ticket, request.HttpContext.RequestAborted) is { } faulted)
            return faulted;

        return WeChatResponses.From(state.Backend.IssueTicket(query["access_token"], query["type"]));
    }

    // WeChat's IP whitelist guards the calls that hand out an access_token.
    private static bool IsRefusedByIpWhitelist(HttpRequest request, WeChatSandboxState state) =>
        state.RefusesIp(SandboxCall.CallerIp(request.HttpContext));
}
