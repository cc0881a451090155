using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using WxShare.WeChatSandbox.Domain;

namespace WxShare.WeChatSandbox.Http;

/// <summary>
/// WeChat's own diagnostic APIs: POST /cgi-bin/openapi/quota/get, /cgi-bin/openapi/rid/get and /cgi-bin/clear_quota/v2
/// (JSON bodies, the first two with ?access_token=), and the rid log they read: every /cgi-bin/ call the sandbox serves,
/// under the rid of its errmsg (or a new one on success).
/// </summary>
internal static partial class OpenApiDiagnosticsEndpoints
{
    private const int MaxLoggedBodyBytes = 64 * 1024;

    public static void MapOpenApiDiagnostics(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/cgi-bin/openapi/quota/get", GetQuotaAsync);
        routes.MapPost("/cgi-bin/openapi/rid/get", GetRidAsync);
        routes.MapPost("/cgi-bin/clear_quota/v2", ClearQuotaAsync);
    }

    /// <summary>Records each /cgi-bin/ call, request and answer as sent, for rid/get.</summary>
    public static void UseRidLog(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/cgi-bin"))
            {
                await next(context);
                return;
            }
            var state = context.RequestServices.GetRequiredService<WeChatSandboxState>();
            var invokedAt = state.Diagnostics.Now;
            var watch = Stopwatch.StartNew();
            context.Request.EnableBuffering(MaxLoggedBodyBytes);
            var requestBody = await new StreamReader(context.Request.Body, Encoding.UTF8, leaveOpen: true).ReadToEndAsync(context.RequestAborted);
            context.Request.Body.Position = 0;

            var original = context.Response.Body;
            using var captured = new MemoryStream();
            context.Response.Body = captured;
            try
            {
                await next(context);
            }
            finally
            {
                context.Response.Body = original;
            }
            captured.Position = 0;
            var responseBody = Encoding.UTF8.GetString(captured.ToArray());
            await captured.CopyToAsync(original, context.RequestAborted);

            var request = context.Request;
            state.Diagnostics.Record(new SandboxRidRecord(
                RidIn(responseBody) ?? RandomCredentials.RequestId(),
                AppIdOf(request.Query["appid"], requestBody, request.Query["access_token"], state),
                request.Path.Value ?? "",
                invokedAt,
                watch.ElapsedMilliseconds,
                context.Connection.RemoteIpAddress?.MapToIPv4().ToString() ?? "",
                request.Path.Value + request.QueryString.Value,
                requestBody,
                responseBody));
        });

    private static async Task<IResult> GetQuotaAsync(HttpRequest request, WeChatSandboxState state)
    {
        if (state.Backend.AccountOfToken(request.Query["access_token"], out var appId) is WeChatError tokenError)
            return WeChatResponses.Error(tokenError.Code);
        if (await ReadAsync(request, DiagnosticsJson.Default.QuotaGetBody) is not { } body)
            return Error(WeChatErrorCodes.DataFormatError);
        return state.Backend.QuotaOf(appId!, body.CgiPath) switch
        {
            QuotaReported q => WeChatResponses.Json(new QuotaGetAnswer(0, "ok", new QuotaFiguresBody(q.DailyLimit, q.Used, q.Remain),
                q.RateLimitCallCount is { } count ? new RateLimitBody(count, q.RateLimitSeconds ?? 60) : null)),
            WeChatError e => Error(e.Code),
            var other => throw new UnreachableException($"Unhandled outcome {other.GetType().Name}."),
        };
    }

    private static async Task<IResult> GetRidAsync(HttpRequest request, WeChatSandboxState state)
    {
        if (state.Backend.AccountOfToken(request.Query["access_token"], out var appId) is WeChatError tokenError)
            return WeChatResponses.Error(tokenError.Code);
        if (await ReadAsync(request, DiagnosticsJson.Default.RidGetBody) is not { } body)
            return Error(WeChatErrorCodes.DataFormatError);
        if (string.IsNullOrEmpty(body.Rid) || !RidShape().IsMatch(body.Rid))
            return Error(OpenApiErrorCodes.RidMalformed);
        if (state.Diagnostics.Find(body.Rid) is not { } call)
            return Error(OpenApiErrorCodes.RidNotFound);
        if (call.AppId != appId)
            return Error(OpenApiErrorCodes.RidOfAnotherAccount);
        return WeChatResponses.Json(new RidGetAnswer(0, "ok", new RidCallBody(call.InvokedAt.ToUnixTimeSeconds(), call.CostInMs,
            call.RequestUrl, call.RequestBody, call.ResponseBody, call.ClientIp)));
    }

    private static async Task<IResult> ClearQuotaAsync(HttpRequest request, WeChatSandboxState state)
    {
        state.Diagnostics.CountClearQuota();
        if (await ReadAsync(request, DiagnosticsJson.Default.ClearQuotaBody) is not { } body)
            return Error(WeChatErrorCodes.DataFormatError);
        return state.Backend.ClearQuota(body.AppId, body.AppSecret) switch
        {
            Cleared => WeChatResponses.Json(new ErrorBody(0, "ok")),
            WeChatError e => Error(e.Code),
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

    private static IResult Error(int errcode) =>
        WeChatResponses.Json(new ErrorBody(errcode, $"{OpenApiErrorCodes.Message(errcode)} rid: {RandomCredentials.RequestId()}"));

    /// <summary>The appid a call was made for: in its query, its JSON body, or behind its access_token.</summary>
    private static string? AppIdOf(string? queryAppId, string body, string? accessToken, WeChatSandboxState state)
    {
        if (!string.IsNullOrEmpty(queryAppId))
            return queryAppId;
        try
        {
            using var document = body.Length > 0 ? JsonDocument.Parse(body) : null;
            if (document?.RootElement is { ValueKind: JsonValueKind.Object } json
                && json.TryGetProperty("appid", out var appId) && appId.ValueKind == JsonValueKind.String)
                return appId.GetString();
        }
        catch (JsonException)
        {
        }
        state.Backend.AccountOfToken(accessToken, out var tokenAppId);
        return tokenAppId;
    }

    private static string? RidIn(string responseBody) => RidSuffix().Match(responseBody) is { Success: true } m ? m.Groups[1].Value : null;

    [System.Text.RegularExpressions.GeneratedRegex(@"rid: ([0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8})")]
    private static partial System.Text.RegularExpressions.Regex RidSuffix();

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
