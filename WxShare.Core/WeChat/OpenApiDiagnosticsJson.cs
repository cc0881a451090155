using System.Text.Json.Serialization;
using WxShare.Http;

namespace WxShare.WeChat;

// The request and answer bodies of WeChat's own diagnostic calls (openapi/quota/get, openapi/rid/get, clear_quota/v2);
// clear_quota answers a bare ServiceAnswer.

internal sealed record QuotaRequest([property: JsonPropertyName("cgi_path")] string CgiPath);

internal sealed record RidRequest([property: JsonPropertyName("rid")] string Rid);

internal sealed record ClearQuotaRequest(
    [property: JsonPropertyName("appid")] string AppId,
    [property: JsonPropertyName("appsecret")] string AppSecret);

/// <summary>openapi/quota/get's answer: today's allowance of one API path, and its rate limit.</summary>
public sealed record QuotaAnswer(int? ErrorCode, string? ErrorMessage,
    [property: JsonPropertyName("quota")] QuotaFigures? Quota,
    [property: JsonPropertyName("rate_limit")] RateLimitFigures? RateLimit) : ServiceAnswer(ErrorCode, ErrorMessage);

public sealed record QuotaFigures(
    [property: JsonPropertyName("daily_limit")] long DailyLimit,
    [property: JsonPropertyName("used")] long Used,
    [property: JsonPropertyName("remain")] long Remain);

public sealed record RateLimitFigures(
    [property: JsonPropertyName("call_count")] long CallCount,
    [property: JsonPropertyName("refresh_second")] long RefreshSecond);

/// <summary>openapi/rid/get's answer: the request WeChat saw under that rid. Its bodies and URL hold secrets: mask before showing.</summary>
public sealed record RidAnswer(int? ErrorCode, string? ErrorMessage,
    [property: JsonPropertyName("request")] RidRequestSeen? Request) : ServiceAnswer(ErrorCode, ErrorMessage);

public sealed record RidRequestSeen(
    [property: JsonPropertyName("invoke_time")] long? InvokeTime,
    [property: JsonPropertyName("cost_in_ms")] long? CostInMs,
    [property: JsonPropertyName("request_url")] string? RequestUrl,
    [property: JsonPropertyName("request_body")] string? RequestBody,
    [property: JsonPropertyName("response_body")] string? ResponseBody,
    [property: JsonPropertyName("client_ip")] string? ClientIp)
{
    // The URL and bodies hold tokens and the AppSecret: never print them.
    public override string ToString() => $"RidRequestSeen {{ InvokeTime = {InvokeTime}, CostInMs = {CostInMs} }}";
}

[JsonSerializable(typeof(QuotaRequest))]
[JsonSerializable(typeof(RidRequest))]
[JsonSerializable(typeof(ClearQuotaRequest))]
[JsonSerializable(typeof(ServiceAnswer))]
[JsonSerializable(typeof(QuotaAnswer))]
[JsonSerializable(typeof(RidAnswer))]
internal sealed partial class OpenApiDiagnosticsJson : JsonSerializerContext;
