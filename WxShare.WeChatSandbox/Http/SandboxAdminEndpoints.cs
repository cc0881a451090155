using System.Text.Json;

namespace WxShare.WeChatSandbox.Http;

/// <summary>Endpoints for driving the sandbox when it runs as a separate process. Not part of WeChat.</summary>
internal static class SandboxAdminEndpoints
{
    public static void MapSandboxAdmin(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/sandbox");

        admin.MapCallCounts((WeChatSandboxState state) => state.Calls, state => state.ResetCalls());

        admin.MapGet("/fault", (WeChatSandboxState state) =>
            Results.Json(state.CurrentFault ?? new SandboxFault(SandboxFaultKind.None), SandboxJson.Admin));
        admin.MapPut("/fault", PutFaultAsync);
        admin.MapDelete("/fault", (WeChatSandboxState state) =>
        {
            state.ClearFault();
            return Results.NoContent();
        });

        // {"allowedIps":["203.0.113.5"]} turns WeChat's IP whitelist on (other callers get 40164), {"allowedIps":null} off.
        admin.MapGet("/ip-whitelist", (WeChatSandboxState state) => Results.Json(new IpWhitelistSwitch(state.IpWhitelist), SandboxJson.Admin));
        admin.MapPut("/ip-whitelist", async (HttpRequest request, WeChatSandboxState state) =>
        {
            if (await ReadAsync<IpWhitelistSwitch>(request) is not { } body)
                return BadRequest("The body must be {\"allowedIps\":[\"<address>\", ...]} (on) or {\"allowedIps\":null} (off).");
            state.SetIpWhitelist(body.AllowedIps);
            return Results.Json(new IpWhitelistSwitch(state.IpWhitelist), SandboxJson.Admin);
        });

        // {"afterMilliseconds":N} resets a keep-alive connection reused after more than N ms idle, {"afterMilliseconds":null} stops.
        admin.MapGet("/idle-drop", (WeChatSandboxState state) => Results.Json(IdleDropOf(state), SandboxJson.Admin));
        admin.MapPut("/idle-drop", async (HttpRequest request, WeChatSandboxState state) =>
        {
            if (await ReadAsync<IdleDropSwitch>(request) is not { AfterMilliseconds: null or >= 0 } body)
                return BadRequest("The body must be {\"afterMilliseconds\":<0 or more>} (on) or {\"afterMilliseconds\":null} (off).");
            state.IdleConnectionDropAfter = body.AfterMilliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : null;
            return Results.Json(IdleDropOf(state), SandboxJson.Admin);
        });

        // What the sandbox kept under a rid from an errmsg, unmasked (it holds the secret or token the call carried).
        admin.MapGet("/rids/{rid}", (string rid, WeChatSandboxState state) =>
            state.Rids.Find(rid) is { } record
                ? Results.Json(record, SandboxJson.Admin)
                : Results.Json(new { error = "no such rid", rid }, SandboxJson.Admin, statusCode: StatusCodes.Status404NotFound));

        admin.MapGet("/tickets/{appId}", (string appId, string? type, WeChatSandboxState state) =>
        {
            type ??= WeChatSandboxState.JsApiTicketType;
            return state.CurrentTicket(appId, type) is { } ticket
                ? Results.Json(new { ticket }, SandboxJson.Admin)
                : Results.Json(new { error = "no valid ticket", appId, type }, SandboxJson.Admin, statusCode: StatusCodes.Status404NotFound);
        });
    }

    private static IdleDropSwitch IdleDropOf(WeChatSandboxState state) =>
        new((long?)state.IdleConnectionDropAfter?.TotalMilliseconds, state.DroppedConnections);

    private static IResult BadRequest(string error) =>
        Results.Json(new { error }, SandboxJson.Admin, statusCode: StatusCodes.Status400BadRequest);

    private static async Task<T?> ReadAsync<T>(HttpRequest request) where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, SandboxJson.Admin, request.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record IpWhitelistSwitch(IReadOnlyCollection<string>? AllowedIps);

    private sealed record IdleDropSwitch(long? AfterMilliseconds, int DroppedConnections = 0);

    private static async Task<IResult> PutFaultAsync(HttpRequest request, WeChatSandboxState state)
    {
        try
        {
            var fault = await JsonSerializer.DeserializeAsync<SandboxFault>(request.Body, SandboxJson.Admin, request.HttpContext.RequestAborted)
                ?? throw new JsonException("The body must be a SandboxFault object.");
            state.SetFault(fault);
            return Results.Json(state.CurrentFault ?? new SandboxFault(SandboxFaultKind.None), SandboxJson.Admin);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            return Results.Json(new { error = e.Message }, SandboxJson.Admin, statusCode: StatusCodes.Status400BadRequest);
        }
    }
}
