using Microsoft.AspNetCore.Http;
using WxShare.Http;
using WxShare.Signing;

namespace WxShare.Diagnosis;

/// <summary>
/// GET /api/jssdk/diagnose?url=…[&amp;appId=…&amp;signature=…&amp;timestamp=…&amp;nonceStr=…]: why a page's wx.config fails.
/// Key protected by its hosts (a function key in Azure). Never shows a ticket.
/// </summary>
public sealed class JsSdkDiagnoseEndpoint(JsSdkDiagnosisService diagnosis)
{
    public const string Route = "jssdk/diagnose";
    private static readonly string[] Parameters = [PageUrlValidator.Parameter, "appId", "signature", "timestamp", "nonceStr"];

    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        if (!HttpMethods.IsGet(request.Method))
            return JsonErrors.MethodNotAllowed(request.HttpContext.Response, "GET");
        if (Parameters.FirstOrDefault(p => request.Query[p].Count > 1) is { } repeated)
            return JsonErrors.Of(400, "parameter_repeated", $"The query parameter '{repeated}' appears more than once.");
        var url = request.Query[PageUrlValidator.Parameter].ToString();
        if (string.IsNullOrWhiteSpace(url))
            return JsonErrors.Of(400, "url_missing", "The query parameter 'url' is missing or empty: give the page URL, percent-encoded once.");
        if (url.Length > PageUrlValidator.MaxLength)
            return JsonErrors.Of(400, "url_too_long", $"The page URL has {url.Length} characters; at most {PageUrlValidator.MaxLength} are accepted.");

        var input = new DiagnosisInput(url, Optional(request, "appId"), Optional(request, "signature"), Optional(request, "timestamp"), Optional(request, "nonceStr"));
        return TypedResults.Json(await diagnosis.DiagnoseAsync(input, cancellationToken), DiagnosisJsonContext.Readable.JsSdkDiagnosis);
    }

    private static string? Optional(HttpRequest request, string name) => request.Query[name].ToString() is { Length: > 0 } value ? value : null;
}
