using System.Text.Json.Serialization;

namespace WxShare.Diagnosis;

/// <summary>
/// What a page posts to /api/jssdk/report after wx.error (or a WeCom page after a failed wx.config / wx.agentConfig):
/// the errMsg it got and the values that call used. <c>errMsg</c> and <c>url</c> are required; <c>timestamp</c> and
/// <c>agentId</c> may be numbers or strings of digits (ww.register takes agentId as a number).
/// </summary>
/// <param name="SignatureOf"><c>config</c> or <c>agentConfig</c>: the call that failed, whose values these are; when left
/// out, an errMsg beginning <c>agentConfig:</c> says agentConfig, anything else config.</param>
public sealed record FieldReport(
    [property: JsonPropertyName("errMsg")] string? ErrMsg,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("appId")] string? AppId,
    [property: JsonPropertyName("timestamp"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] long? Timestamp,
    [property: JsonPropertyName("nonceStr")] string? NonceStr,
    [property: JsonPropertyName("signature")] string? Signature,
    [property: JsonPropertyName("userAgent")] string? UserAgent,
    [property: JsonPropertyName("agentId"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] long? AgentId = null,
    [property: JsonPropertyName("signatureOf")] string? SignatureOf = null);

/// <summary>
/// The report route's answer: taken in, and the id the log line carries. The diagnosis is for operators: a caller
/// with a key that has route diagnose gets it here too; a page (anonymous) gets only the receipt.
/// </summary>
public sealed record FieldReportReceipt(
    [property: System.Text.Json.Serialization.JsonPropertyName("received")] bool Received,
    [property: System.Text.Json.Serialization.JsonPropertyName("reportId")] string ReportId,
    [property: System.Text.Json.Serialization.JsonPropertyName("diagnosis")] JsSdkDiagnosis? Diagnosis = null);
