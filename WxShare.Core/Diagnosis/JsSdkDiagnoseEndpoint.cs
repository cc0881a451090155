using Microsoft.AspNetCore.Http;
using WxShare.Accounts;
using WxShare.Http;
using WxShare.Signing;

namespace WxShare.Diagnosis;

/// <summary>
/// GET /api/jssdk/diagnose?url=…[&amp;appId=…&amp;agentId=…&amp;signature=…&amp;timestamp=…&amp;nonceStr=…&amp;signatureOf=config|agentConfig]:
/// why a page's wx.config (or a WeCom page's wx.agentConfig) fails.
/// Needs a key with route diagnose that reaches the diagnosed account (403 key_scope otherwise). Never shows a ticket.
/// </summary>
public sealed class JsSdkDiagnoseEndpoint(JsSdkDiagnosisService diagnosis, AccountRegistry registry, AccountSelector accounts)
{
    public const string SignatureOfParameter = "signatureOf";
    private static readonly string[] Parameters =
        [PageUrlValidator.Parameter, AccountSelector.AppIdParameter, AccountSelector.AgentIdParameter, "signature", "timestamp", "nonceStr", SignatureOfParameter];

    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (Parameters.FirstOrDefault(p => request.Query[p].Count > 1) is { } repeated)
            return Invalid(request, "parameter_repeated", $"The query parameter '{repeated}' appears more than once.");
        var url = request.Query[PageUrlValidator.Parameter].ToString();
        if (string.IsNullOrWhiteSpace(url))
            return Invalid(request, "url_missing", "The query parameter 'url' is missing or empty: give the page URL, percent-encoded once.");
        if (url.Length > PageUrlValidator.MaxLength)
            return Invalid(request, "url_too_long", $"The page URL has {url.Length} characters; at most {PageUrlValidator.MaxLength} are accepted.");

        var signatureOf = SignedCall.Config;
        if (Optional(request, SignatureOfParameter) is { } named)
        {
            if (SignedCallNames.Parse(named) is not { } parsed)
                return Invalid(request, "signature_of_invalid", SignatureOfMessage(named));
            signatureOf = parsed;
        }

        var input = new DiagnosisInput(url, Optional(request, AccountSelector.AppIdParameter), Optional(request, "signature"), Optional(request, "timestamp"),
            Optional(request, "nonceStr"), Optional(request, AccountSelector.AgentIdParameter), signatureOf);
        var result = await diagnosis.DiagnoseAsync(input, cancellationToken, other => OperatorCaller.Reaches(request.HttpContext, other));
        // The account is chosen inside the diagnosis (by name or by the page's host): the key must reach it all the same.
        if (result.Account is { } diagnosed && registry.FindByName(diagnosed.Name) is { } account
            && accounts.InKeyScope(request.HttpContext, new AccountSelection(account, null)).Rejection is { } outOfScope)
            return ApiErrors.Refused(request.HttpContext.Response, outOfScope);
        return TypedResults.Json(result, DiagnosisJsonContext.Readable.JsSdkDiagnosis);
    }

    /// <summary>Why a <c>signatureOf</c> value is refused; the report route says the same.</summary>
    public static string SignatureOfMessage(string given) =>
        $"'{SignatureOfParameter}' is '{(given.Length <= 40 ? given : given[..40] + "...")}': say '{SignedCallNames.Config}' for a wx.config signature "
        + $"or '{SignedCallNames.AgentConfig}' for a WeCom page's wx.agentConfig signature.";

    private static IResult Invalid(HttpRequest request, string error, string message) =>
        ApiErrors.Refused(request.HttpContext.Response, Refusal.Invalid(error, message));

    private static string? Optional(HttpRequest request, string name) => request.Query[name].ToString() is { Length: > 0 } value ? value : null;
}
