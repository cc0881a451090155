using System.Text.Json;
using WxShare.WeChatSandbox.Http;

namespace WxShare.WeChatSandbox.Platform;

/// <summary>Switches for the platform side of the sandbox, under /sandbox/platform. Not part of WeChat.</summary>
internal static class PlatformAdminEndpoints
{
    public static void MapPlatformSandboxAdmin(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/sandbox/platform");

        admin.MapPost("/push-ticket", async (PlatformEventPusher pusher, CancellationToken cancellationToken) =>
            Results.Json(await pusher.PushVerifyTicketAsync(cancellationToken), SandboxJson.Admin));
        admin.MapGet("/pushes", (PlatformEventPusher pusher) => Results.Json(pusher.Pushes, SandboxJson.Admin));
        admin.MapGet("/calls", (PlatformSandboxState state) => Results.Json(state.Calls, SandboxJson.Admin));

        admin.MapPost("/unauthorize", async (string? appid, PlatformSandboxState state, PlatformEventPusher pusher, CancellationToken cancellationToken) =>
            appid is not null && state.Unauthorize(appid)
                ? Results.Json(await pusher.PushUnauthorizedAsync(appid, cancellationToken), SandboxJson.Admin)
                : Results.Json(new { error = "appid is not an authorized account." }, SandboxJson.Admin, statusCode: 404));
        admin.MapPost("/rotate-refresh-token", (string? appid, PlatformSandboxState state) =>
            appid is not null && state.RotateRefreshToken(appid)
                ? Results.NoContent()
                : Results.Json(new { error = "appid is not an authorized account." }, SandboxJson.Admin, statusCode: 404));

        admin.MapGet("/switches", (PlatformSandboxState state) => Results.Json(SwitchesOf(state), SandboxJson.Admin));
        admin.MapPut("/switches", async (HttpRequest request, PlatformSandboxState state) =>
        {
            PlatformSwitches? body;
            try
            {
                body = await JsonSerializer.DeserializeAsync<PlatformSwitches>(request.Body, SandboxJson.Admin, request.HttpContext.RequestAborted);
            }
            catch (JsonException)
            {
                body = null;
            }
            if (body is null)
                return Results.Json(new { error = "The body must be {\"ticketsExpired\":true|false,\"refreshTokensInvalid\":true|false}." },
                    SandboxJson.Admin, statusCode: 400);
            state.TicketsExpired = body.TicketsExpired;
            state.RefreshTokensInvalid = body.RefreshTokensInvalid;
            return Results.Json(SwitchesOf(state), SandboxJson.Admin);
        });
    }

    private static PlatformSwitches SwitchesOf(PlatformSandboxState state) => new(state.TicketsExpired, state.RefreshTokensInvalid);
}

/// <param name="TicketsExpired">api_component_token answers 61005.</param>
/// <param name="RefreshTokensInvalid">api_authorizer_token answers 61023.</param>
public sealed record PlatformSwitches(bool TicketsExpired, bool RefreshTokensInvalid);
