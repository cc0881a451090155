using System.Text.Json.Serialization;

namespace WxShare.Diagnosis;

/// <summary>
/// What a page posts to /api/jssdk/report after wx.error: the errMsg WeChat gave and the wx.config values it used.
/// <c>errMsg</c> and <c>url</c> are required; <c>timestamp</c> may be a number or a string of digits.
/// </summary>
public sealed record FieldReport(
    [property: JsonPropertyName("errMsg")] string? ErrMsg,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("appId")] string? AppId,
    [property: JsonPropertyName("timestamp"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] long? Timestamp,
    [property: JsonPropertyName("nonceStr")] string? NonceStr,
    [property: JsonPropertyName("signature")] string? Signature,
    [property: JsonPropertyName("userAgent")] string? UserAgent);
