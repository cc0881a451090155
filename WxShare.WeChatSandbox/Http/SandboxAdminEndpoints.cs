using System.Text.Json;

namespace WxShare.WeChatSandbox.Http;

/// <summary>Endpoints for driving the sandbox when it runs as a separate process. Not part of WeChat.</summary>
internal static class SandboxAdminEndpoints
{
    public static void MapSandboxAdmin(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/sandbox");

        admin.MapGet("/calls", (WeChatSandboxState state) => Results.Json(state.Calls, SandboxJson.Admin));
        admin.MapPost("/calls/reset", (WeChatSandboxState state) =>
        {
            state.ResetCalls();
            return Results.NoContent();
        });

        admin.MapGet("/fault", (WeChatSandboxState state) =>
            Results.Json(state.CurrentFault ?? new SandboxFault(SandboxFaultKind.None), SandboxJson.Admin));
        admin.MapPut("/fault", PutFaultAsync);
        admin.MapDelete("/fault", (WeChatSandboxState state) =>
        {
            state.ClearFault();
            return Results.NoContent();
        });

        admin.MapGet("/tickets/{appId}", (string appId, string? type, WeChatSandboxState state) =>
        {
            type ??= WeChatSandboxState.JsApiTicketType;
            return state.CurrentTicket(appId, type) is { } ticket
                ? Results.Json(new { ticket }, SandboxJson.Admin)
                : Results.Json(new { error = "no valid ticket", appId, type }, SandboxJson.Admin, statusCode: StatusCodes.Status404NotFound);
        });
    }

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
