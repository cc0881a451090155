using System.Text.Json;
using System.Text.Json.Serialization;

namespace WxShare.WeChatSandbox.Http;

internal static class SandboxJson
{
    /// <summary>
    /// GET calls and POST calls/reset under <paramref name="admin"/>: each side of the sandbox (WeChat, WeCom) counts
    /// its own calls, and tests read and reset them the same way.
    /// </summary>
    public static void MapCallCounts<TState>(this RouteGroupBuilder admin, Func<TState, object> calls, Action<TState> reset)
        where TState : notnull
    {
        // The state from the request's services, not as a TState handler parameter: the route analyzer fails on a generic one.
        admin.MapGet("/calls", (HttpContext context) => Results.Json(calls(context.RequestServices.GetRequiredService<TState>()), Admin));
        admin.MapPost("/calls/reset", (HttpContext context) =>
        {
            reset(context.RequestServices.GetRequiredService<TState>());
            return Results.NoContent();
        });
    }

    /// <summary>The content type api.weixin.qq.com really sends (note: "encoding", not "charset").</summary>
    public const string WeChatContentType = "application/json; encoding=utf-8";

    /// <summary>WeChat's wire format: snake_case fields.</summary>
    public static readonly JsonSerializerOptions WeChat = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The admin endpoints: camelCase fields, enums as strings.</summary>
    public static readonly JsonSerializerOptions Admin = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
}
