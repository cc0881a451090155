using System.Text.Json;
using System.Text.Json.Serialization;
using WxShare.WeChatSandbox.Domain;
using WxShare.WeChatSandbox.Http;

namespace WxShare.WeChatSandbox.Platform;

/// <summary>api.weixin.qq.com's component endpoints (POST JSON, token as component_access_token= or access_token=), and the authorization page.</summary>
internal static class PlatformApiEndpoints
{
    public static void MapPlatformApi(this IEndpointRouteBuilder routes)
    {
        var component = routes.MapGroup("/cgi-bin/component");
        Map(component, "api_component_token", (s, _, b) => s.ComponentToken(b.ComponentAppId, b.ComponentAppSecret, b.ComponentVerifyTicket));
        Map(component, "api_create_preauthcode", (s, t, b) => s.CreatePreAuthCode(t, b.ComponentAppId));
        Map(component, "api_query_auth", (s, t, b) => s.QueryAuth(t, b.ComponentAppId, b.AuthorizationCode));
        Map(component, "api_authorizer_token", (s, t, b) => s.AuthorizerToken(t, b.ComponentAppId, b.AuthorizerAppId, b.AuthorizerRefreshToken));
        Map(component, "api_get_authorizer_list", (s, t, b) => s.AuthorizerList(t, b.ComponentAppId, b.Offset ?? 0, b.Count ?? 0));
        Map(component, "api_start_push_ticket", (s, _, b) => s.StartPushTicket(b.ComponentAppId, b.ComponentSecret));

        // The authorization page (mp.weixin.qq.com/cgi-bin/componentloginpage) with the account's consent simulated:
        // WeChat pushes authorized, then sends the browser to redirect_uri with the auth_code.
        routes.MapGet("/_sandbox/authorize", AuthorizeAsync);
        routes.MapGet("/cgi-bin/componentloginpage", AuthorizeAsync);
        routes.MapGet("/safe/bindcomponent", AuthorizeAsync);
    }

    private static void Map(IEndpointRouteBuilder group, string name, Func<PlatformSandboxState, string?, ComponentRequestBody, PlatformOutcome> call) =>
        group.MapPost(name, async (HttpRequest request, PlatformSandboxState state) =>
        {
            state.Count(name);
            ComponentRequestBody? body;
            try
            {
                // WeChat parses the body as JSON whatever its content type says.
                body = await JsonSerializer.DeserializeAsync<ComponentRequestBody>(request.Body, SandboxJson.WeChat, request.HttpContext.RequestAborted);
            }
            catch (JsonException)
            {
                body = null;
            }
            if (body is null)
                return WeChatResponses.Error(WeChatErrorCodes.DataFormatError);
            var token = request.Query["component_access_token"].FirstOrDefault() ?? request.Query["access_token"].FirstOrDefault();
            return call(state, token, body) switch
            {
                PlatformAnswer answer => WeChatResponses.Json(answer.Body),
                PlatformError error => WeChatResponses.Error(error.Code),
                var other => throw new InvalidOperationException($"Unhandled outcome {other.GetType().Name}."),
            };
        });

    /// <param name="appid">The account that consents (the real page asks the admin to scan; biz_appid names it too).</param>
    private static async Task<IResult> AuthorizeAsync(string? appid, string? biz_appid, string? redirect_uri, string? pre_auth_code,
        PlatformSandboxState state, PlatformEventPusher pusher, CancellationToken cancellationToken)
    {
        var authorizerAppId = appid ?? biz_appid;
        if (string.IsNullOrWhiteSpace(authorizerAppId))
            return Results.Json(new { error = "appid is required: the official account that authorizes the platform." }, SandboxJson.Admin, statusCode: 400);
        if (!Uri.TryCreate(redirect_uri, UriKind.Absolute, out var redirect) || redirect.Scheme is not ("http" or "https"))
            return Results.Json(new { error = "redirect_uri must be an absolute http(s) URL." }, SandboxJson.Admin, statusCode: 400);
        if (state.Authorize(authorizerAppId, pre_auth_code) is not { } granted)
            return Results.Json(new { error = "pre_auth_code is unknown, used or expired (61009)." }, SandboxJson.Admin, statusCode: 400);

        await pusher.PushAuthorizedAsync(authorizerAppId, granted.AuthorizationCode, granted.ExpiresAt, granted.IsUpdate, pre_auth_code, cancellationToken);
        var query = $"auth_code={Uri.EscapeDataString(granted.AuthorizationCode)}&expires_in=600";
        return Results.Redirect(new UriBuilder(redirect) { Query = string.IsNullOrEmpty(redirect.Query) ? query : redirect.Query.TrimStart('?') + "&" + query }.Uri.ToString());
    }
}

/// <summary>Every field any component call takes; each call reads its own.</summary>
internal sealed record ComponentRequestBody(
    [property: JsonPropertyName("component_appid")] string? ComponentAppId,
    [property: JsonPropertyName("component_appsecret")] string? ComponentAppSecret,
    [property: JsonPropertyName("component_secret")] string? ComponentSecret,
    [property: JsonPropertyName("component_verify_ticket")] string? ComponentVerifyTicket,
    [property: JsonPropertyName("authorization_code")] string? AuthorizationCode,
    [property: JsonPropertyName("authorizer_appid")] string? AuthorizerAppId,
    [property: JsonPropertyName("authorizer_refresh_token")] string? AuthorizerRefreshToken,
    [property: JsonPropertyName("offset")] int? Offset,
    [property: JsonPropertyName("count")] int? Count);
