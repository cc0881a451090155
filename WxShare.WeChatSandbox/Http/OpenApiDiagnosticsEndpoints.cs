using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using WxShare.WeChatSandbox.Domain;

namespace WxShare.WeChatSandbox.Http;

/// <summary>
/// WeChat's own diagnostic APIs: POST /cgi-bin/openapi/quota/get, /cgi-bin/openapi/rid/get and /cgi-bin/clear_quota/v2
/// (JSON bodies, the first two with ?access_token=). rid/get reads the rid log the wire rules keep of every error answer.
/// </summary>
internal static partial class OpenApiDiagnosticsEndpoints
{
    public static readonly TimeSpan RidLifetime = TimeSpan.FromDays(7);

    public static void MapOpenApiDiagnostics(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/cgi-bin/openapi/quota/get", GetQuotaAsync);
        routes.MapPost("/cgi-bin/openapi/rid/get", GetRidAsync);
        routes.MapPost("/cgi-bin/clear_quota/v2", ClearQuotaAsync);
    }

    private static async Task<IResult> GetQuotaAsync(HttpRequest request, WeChatSandboxState state)
    {
        state.Diagnostics.CountQuotaGet();
        if (state.Backend.AccountOfToken(request.Query["access_token"], out var appId) is WeChatError tokenError)
            return WeChatResponses.Error(tokenError.Code);
        SandboxCall.Of(request.HttpContext).AppId = appId;
        if (await ReadAsync(request, DiagnosticsJson.Default.QuotaGetBody) is not { } body)
            return WeChatResponses.Error(WeChatErrorCodes.DataFormatError);
        return state.Backend.QuotaOf(appId!, body.CgiPath) switch
        {
            QuotaReported q => WeChatResponses.Json(new QuotaGetAnswer(0, "ok", new QuotaFiguresBody(q.DailyLimit, q.Used, q.Remain),
                q.RateLimitCallCount is { } count ? new RateLimitBody(count, q.RateLimitSeconds ?? 60) : null)),
            WeChatError e => Error(request, e.Code),
            var other => throw new UnreachableException($"Unhandled outcome {other.GetType().Name}."),
        };
    }

    private static async Task<IResult> GetRidAsync(HttpRequest request, WeChatSandboxState state)
    {
        if (state.Backend.AccountOfToken(request.Query["access_token"], out var appId) is WeChatError tokenError)
            return WeChatResponses.Error(tokenError.Code);
        SandboxCall.Of(request.HttpContext).AppId = appId;
        if (await ReadAsync(request, DiagnosticsJson.Default.RidGetBody) is not { } body)
            return WeChatResponses.Error(WeChatErrorCodes.DataFormatError);
        if (string.IsNullOrEmpty(body.Rid) || !RidShape().IsMatch(body.Rid))
            return Error(request, OpenApiErrorCodes.RidMalformed);
        // WeChat keeps a rid 7 days.
        if (state.Rids.Find(body.Rid) is not { } call || state.Now - call.InvokeTime >= RidLifetime)
            return Error(request, OpenApiErrorCodes.RidNotFound);
        if (call.AppId != appId)
            return Error(request, OpenApiErrorCodes.RidOfAnotherAccount);
        return WeChatResponses.Json(new RidGetAnswer(0, "ok", new RidCallBody(call.InvokeTime.ToUnixTimeSeconds(), call.CostInMs,
            call.RequestUrl, call.RequestBody, call.ResponseBody, call.ClientIp)));
    }

    private static async Task<IResult> ClearQuotaAsync(HttpRequest request, WeChatSandboxState state)
    {
        state.Diagnostics.CountClearQuota();
        if (await ReadAsync(request, DiagnosticsJson.Default.ClearQuotaBody) is not { } body)
            return WeChatResponses.Error(WeChatErrorCodes.DataFormatError);
        SandboxCall.Of(request.HttpContext).AppId = body.AppId;
        return state.Backend.ClearQuota(body.AppId, body.AppSecret) switch
        {
            Cleared => WeChatResponses.Json(new ErrorBody(0, "ok")),
            WeChatError e => Error(request, e.Code),
            var other => throw new UnreachableException($"Unhandled outcome {other.GetType().Name}."),
        };
    }

    /// <summary>WeChat ignores the content type and parses the body as JSON whatever it is labelled.</summary>
    private static async Task<T?> ReadAsync<T>(HttpRequest request, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync(request.Body, type, request.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>An error of the diagnostic APIs, in WeChat's shape, its rid kept in the rid log like every other error's.</summary>
    private static IResult Error(HttpRequest request, int errcode) =>
        WeChatResponses.Json(new ErrorBody(errcode, $"{OpenApiErrorCodes.Message(errcode)} rid: {SandboxCall.Of(request.HttpContext).NewRid()}"));

    [System.Text.RegularExpressions.GeneratedRegex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{8}-[0-9a-fA-F]{8}$")]
    private static partial System.Text.RegularExpressions.Regex RidShape();
}

internal sealed record QuotaGetBody([property: JsonPropertyName("cgi_path")] string? CgiPath);

internal sealed record RidGetBody([property: JsonPropertyName("rid")] string? Rid);

internal sealed record ClearQuotaBody(
    [property: JsonPropertyName("appid")] string? AppId,
    [property: JsonPropertyName("appsecret")] string? AppSecret);

internal sealed record QuotaFiguresBody(int DailyLimit, int Used, int Remain);

internal sealed record RateLimitBody(int CallCount, int RefreshSecond);

internal sealed record QuotaGetAnswer(int Errcode, string Errmsg, QuotaFiguresBody Quota,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RateLimitBody? RateLimit);

internal sealed record RidCallBody(long InvokeTime, long CostInMs, string RequestUrl, string RequestBody, string ResponseBody, string ClientIp);

internal sealed record RidGetAnswer(int Errcode, string Errmsg, RidCallBody Request);

[JsonSerializable(typeof(QuotaGetBody))]
[JsonSerializable(typeof(RidGetBody))]
[JsonSerializable(typeof(ClearQuotaBody))]
internal sealed partial class DiagnosticsJson : JsonSerializerContext;
