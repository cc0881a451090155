using System.Text.Json;
using WxShare.WeChatSandbox.Http;

namespace WxShare.WeChatSandbox.WeCom;

/// <summary>Switches for the WeCom side of the sandbox, under /sandbox/wecom. Not part of WeCom.</summary>
internal static class WeComAdminEndpoints
{
    public static void MapWeComSandboxAdmin(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/sandbox/wecom");

        admin.MapCallCounts((WeComSandboxState state) => state.Calls, state => state.ResetCalls());

        admin.MapPut("/trusted-ip", async (HttpRequest request, WeComSandboxState state) =>
        {
            var body = await ReadAsync<TrustedIpSwitch>(request);
            if (body is null)
                return Results.Json(new { error = "The body must be {\"blocked\":true|false[,\"corpId\",\"agentId\"]}." }, SandboxJson.Admin, statusCode: 400);
            state.SetTrustedIpBlocked(body.Blocked, body.CorpId, body.AgentId);
            return Results.Json(body, SandboxJson.Admin);
        });

        admin.MapGet("/fault", (WeComSandboxState state) => Results.Json(state.CurrentFault ?? new SandboxFault(SandboxFaultKind.None), SandboxJson.Admin));
        admin.MapPut("/fault", async (HttpRequest request, WeComSandboxState state) =>
        {
            try
            {
                state.SetFault(await ReadAsync<SandboxFault>(request) ?? throw new JsonException("The body must be a SandboxFault object."));
                return Results.Json(state.CurrentFault ?? new SandboxFault(SandboxFaultKind.None), SandboxJson.Admin);
            }
            catch (Exception e) when (e is JsonException or ArgumentException)
            {
                return Results.Json(new { error = e.Message }, SandboxJson.Admin, statusCode: 400);
            }
        });
        admin.MapDelete("/fault", (WeComSandboxState state) =>
        {
            state.ClearFault();
            return Results.NoContent();
        });

        // The corp ticket (/tickets/{corpId}) or an app's agent ticket (/tickets/{corpId}/{agentId}), to verify signatures
        // independently; "valid" lists every ticket still valid, since each app fetches the corp ticket with its own token.
        admin.MapGet("/tickets/{corpId}/{agentId?}", (string corpId, string? agentId, WeComSandboxState state) =>
            state.CurrentTicket(corpId, agentId) is { } ticket
                ? Results.Json(new { ticket, valid = state.ValidTickets(corpId, agentId) }, SandboxJson.Admin)
                : Results.Json(new { error = "no valid ticket", corpId, agentId }, SandboxJson.Admin, statusCode: 404));
    }

    private static async Task<T?> ReadAsync<T>(HttpRequest request)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, SandboxJson.Admin, request.HttpContext.RequestAborted);
        }
        catch (JsonException) when (typeof(T) != typeof(SandboxFault))
        {
            return default;
        }
    }

    private sealed record TrustedIpSwitch(bool Blocked, string? CorpId = null, string? AgentId = null);
}
