using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using WxShare.Http;
using WxShare.Signing;
using WxShare.Telemetry;

namespace WxShare.Diagnosis;

/// <summary>
/// POST /api/jssdk/report: a page posts what wx.error gave it with the wx.config it used; the diagnosis runs and one
/// structured warning is logged with a report id. Anonymous, with the config route's CORS, and rate-limited per address
/// and in total. The page gets 202 with the id only: the diagnosis names the account, its domains and the tickets'
/// state, which is for operators (the log, or this route with a key that has route diagnose).
/// </summary>
public sealed partial class FieldReportEndpoint(
    FieldReportRateLimiter limiter,
    JsSdkDiagnosisService diagnosis,
    WxShareMetrics metrics,
    ILogger<FieldReportEndpoint> logger)
{
    public const int MaxBodyBytes = 8 * 1024;
    private const int MaxLoggedLength = 300;

    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // The edge has answered the preflight, another method and a foreign origin (counted as rejected).
        var response = request.HttpContext.Response;
        using var admitted = limiter.TryAdmit(request.HttpContext);
        if (!admitted.IsAcquired)
        {
            metrics.CountFieldReport("rate_limited");
            var retryAfter = admitted.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 60;
            return ApiErrors.Refused(response, Refusal.TooMany("report_rate_limited",
                $"Too many reports from this address or in total; try again in {retryAfter} seconds.", TimeSpan.FromSeconds(retryAfter)));
        }

        var (report, signatureOf, problem) = await ReadAsync(request, cancellationToken);
        if (problem is not null)
            return Rejected(response, Refusal.Invalid(problem.Value.Error, problem.Value.Message));

        var result = await diagnosis.DiagnoseAsync(new DiagnosisInput(report!.Url!, report.AppId, report.Signature, report.Timestamp?.ToString(), report.NonceStr,
            report.AgentId?.ToString(), signatureOf), cancellationToken, other => OperatorCaller.Reaches(request.HttpContext, other));
        var appId = result.Account?.AppId ?? Clean(report.AppId);
        var agentId = result.Account?.AgentId ?? report.AgentId?.ToString();
        var reportId = Guid.NewGuid().ToString("N");
        LogReport(Clean(report.ErrMsg), Clean(report.Url), result.Account?.Name ?? "(none)", agentId is null ? appId : $"{appId} agent {agentId}",
            result.Signature?.Summary() ?? "not_given", result.Findings.Count == 0 ? "none" : string.Join(",", result.Findings.Select(f => f.Code)),
            Clean(report.UserAgent), reportId);
        metrics.CountFieldReport("logged");
        var forOperator = OperatorCaller.KeyOf(request.HttpContext) is not null;
        return WxShareJson.Accepted(new FieldReportReceipt(true, reportId, forOperator ? result : null), DiagnosisJsonContext.Readable.FieldReportReceipt);
    }

    private IResult Rejected(HttpResponse response, Refusal refusal)
    {
        metrics.CountFieldReport("rejected");
        return ApiErrors.Refused(response, refusal);
    }

    private static async Task<(FieldReport? Report, SignedCall SignatureOf, (string Error, string Message)? Problem)> ReadAsync(HttpRequest request,
        CancellationToken cancellationToken)
    {
        var tooLarge = ("body_too_large", $"The report is over {MaxBodyBytes} bytes: send {Shape} only.");
        if (await BoundedBody.ReadAsync(request, MaxBodyBytes, cancellationToken) is not { } body)
            return (null, default, tooLarge);
        if (body.Count == 0)
            return (null, default, ("body_missing", "The request has no body: post the report as JSON " + Shape));

        FieldReport? report;
        try
        {
            report = JsonSerializer.Deserialize(body.AsSpan(), DiagnosisJsonContext.Default.FieldReport);
        }
        catch (JsonException)
        {
            return (null, default, ("body_malformed", "The body is not a JSON report " + Shape + " (timestamp and agentId numbers or strings of digits)."));
        }
        var missing = new[] { ("errMsg", report?.ErrMsg), ("url", report?.Url) }.Where(f => string.IsNullOrWhiteSpace(f.Item2)).Select(f => f.Item1).ToArray();
        if (missing.Length > 0)
            return (null, default, ("field_missing", $"The report lacks {string.Join(" and ", missing)}: post {Shape}."));
        if (report!.Url!.Length > PageUrlValidator.MaxLength)
            return (null, default, ("url_too_long", $"The page URL has {report.Url.Length} characters; at most {PageUrlValidator.MaxLength} are accepted."));
        // WeCom pages report either call; the errMsg names it ("agentConfig:invalid signature") when the page does not.
        if (report.SignatureOf is null)
            return (report, SignedCallNames.FromErrMsg(report.ErrMsg), null);
        return SignedCallNames.Parse(report.SignatureOf) is { } named
            ? (report, named, null)
            : (null, default, ("field_invalid", JsSdkDiagnoseEndpoint.SignatureOfMessage(report.SignatureOf)));
    }

    private const string Shape = "{errMsg, url, appId, timestamp, nonceStr, signature, userAgent}, and for WeCom agentId and signatureOf";

    // Page-supplied text goes into logs: one line, bounded.
    private static string Clean(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return "";
        var cleaned = new string(value.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
        return cleaned.Length <= MaxLoggedLength ? cleaned : cleaned[..MaxLoggedLength] + "...";
    }

    [LoggerMessage(LogLevel.Warning, "A page reported '{ErrMsg}' for {Url}: account {Account} (appId {AppId}), signature {SignatureMatch}, findings {Findings}, user agent {UserAgent}; report {ReportId}")]
    private partial void LogReport(string errMsg, string url, string account, string appId, string signatureMatch, string findings, string userAgent, string reportId);
}
