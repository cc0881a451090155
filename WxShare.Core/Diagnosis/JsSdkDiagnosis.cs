using System.Text.Json.Serialization;

namespace WxShare.Diagnosis;

/// <summary>
/// What the diagnosis found about one page's signing: the account that would sign it, the exact string that would be
/// signed (ticket masked), whether the domain is allowed, the mistakes detected, and the verdict on a given signature.
/// Never holds a ticket.
/// </summary>
public sealed record JsSdkDiagnosis(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("signedUrl")] string? SignedUrl,
    [property: JsonPropertyName("account")] DiagnosedAccount? Account,
    [property: JsonPropertyName("domainAllowed")] bool DomainAllowed,
    [property: JsonPropertyName("timestamp")] long? Timestamp,
    [property: JsonPropertyName("nonceStr")] string? NonceStr,
    [property: JsonPropertyName("stringToSign")] string? StringToSign,
    [property: JsonPropertyName("findings")] IReadOnlyList<DiagnosisFinding> Findings,
    [property: JsonPropertyName("signature")] SignatureVerdict? Signature);

/// <param name="Name">The account's setting name (<c>Accounts__&lt;name&gt;__*</c>, or <c>default</c>).</param>
public sealed record DiagnosedAccount(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("appId")] string AppId,
    [property: JsonPropertyName("allowedDomains")] string AllowedDomains);

/// <param name="Severity"><c>error</c>: WeChat refuses this; <c>warning</c>: a likely cause; <c>info</c>: worth knowing.</param>
public sealed record DiagnosisFinding(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("severity")] string Severity,
    [property: JsonPropertyName("message")] string Message);

/// <param name="Match"><c>current</c>, <c>previous</c>, <c>none</c>, or <c>not_checked</c>.</param>
/// <param name="MatchedUrl">The URL the signature was made for, when that is not <see cref="JsSdkDiagnosis.SignedUrl"/>.</param>
public sealed record SignatureVerdict(
    [property: JsonPropertyName("given")] string Given,
    [property: JsonPropertyName("match")] string Match,
    [property: JsonPropertyName("matchedUrl")] string? MatchedUrl,
    [property: JsonPropertyName("meaning")] string Meaning);
