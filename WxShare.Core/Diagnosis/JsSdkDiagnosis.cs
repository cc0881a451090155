using System.Text.Json.Serialization;

namespace WxShare.Diagnosis;

/// <summary>
/// What the diagnosis found about one page's signing: the account that would sign it, the exact string that would be
/// signed (ticket masked), whether the domain is allowed, the mistakes detected, and the verdict on a given signature.
/// Never holds a ticket.
/// </summary>
/// <param name="StringToSign">wx.config's: over the jsapi_ticket, or a WeCom app's corp ticket.</param>
/// <param name="AgentConfig">A WeCom app's wx.agentConfig and the string it signs with the agent ticket; null for official accounts.</param>
public sealed record JsSdkDiagnosis(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("signedUrl")] string? SignedUrl,
    [property: JsonPropertyName("account")] DiagnosedAccount? Account,
    [property: JsonPropertyName("domainAllowed")] bool DomainAllowed,
    [property: JsonPropertyName("timestamp")] long? Timestamp,
    [property: JsonPropertyName("nonceStr")] string? NonceStr,
    [property: JsonPropertyName("stringToSign")] string? StringToSign,
    [property: JsonPropertyName("findings")] IReadOnlyList<DiagnosisFinding> Findings,
    [property: JsonPropertyName("signature")] SignatureVerdict? Signature,
    [property: JsonPropertyName("agentConfig")] DiagnosedAgentConfig? AgentConfig = null);

/// <param name="Name">The account's setting name (<c>Accounts__&lt;name&gt;__*</c>, or <c>default</c>).</param>
/// <param name="AgentId">A WeCom app's AgentId; null for official accounts.</param>
public sealed record DiagnosedAccount(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("appId")] string AppId,
    [property: JsonPropertyName("allowedDomains")] string AllowedDomains,
    [property: JsonPropertyName("agentId")] string? AgentId = null);

/// <summary>wx.agentConfig's fields as the config route gives them, with the string it signs (the agent ticket shown as <c>***</c>).</summary>
public sealed record DiagnosedAgentConfig(
    [property: JsonPropertyName("corpid")] string CorpId,
    [property: JsonPropertyName("agentid")] string AgentId,
    [property: JsonPropertyName("timestamp")] long Timestamp,
    [property: JsonPropertyName("nonceStr")] string NonceStr,
    [property: JsonPropertyName("stringToSign")] string? StringToSign);

/// <param name="Severity"><c>error</c>: WeChat refuses this; <c>warning</c>: a likely cause; <c>info</c>: worth knowing.</param>
public sealed record DiagnosisFinding(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("severity")] string Severity,
    [property: JsonPropertyName("message")] string Message);

/// <param name="Match">
/// <c>current</c>, <c>previous</c>, <c>none</c>, or <c>not_checked</c>: the age of the stored ticket that made it; <c>other_account</c>
/// when another account's ticket made it (<see cref="OtherAccountAppId"/>).
/// </param>
/// <param name="MatchedUrl">The URL the signature was made for, when that is not <see cref="JsSdkDiagnosis.SignedUrl"/>.</param>
public sealed record SignatureVerdict(
    [property: JsonPropertyName("given")] string Given,
    [property: JsonPropertyName("match")] string Match,
    [property: JsonPropertyName("matchedUrl")] string? MatchedUrl,
    [property: JsonPropertyName("meaning"), JsonPropertyOrder(1)] string Meaning)
{
    /// <summary><c>config</c> or <c>agentConfig</c>: the call the signature was checked as (WeCom apps; null for official accounts).</summary>
    [JsonPropertyName("signatureOf")]
    public string? SignatureOf { get; init; }

    /// <summary>WeCom apps: <c>corp</c> or <c>agent</c>, the kind of ticket that made it; null when none did.</summary>
    [JsonPropertyName("ticket")]
    public string? Ticket { get; init; }

    /// <summary>The AgentId of another app of the corp whose ticket made it; null when it was this app's own.</summary>
    [JsonPropertyName("otherAppAgentId")]
    public string? OtherAppAgentId { get; init; }

    /// <summary>The appId of another official account whose ticket made it (one whose domains also hold the page's host); null when none did.</summary>
    [JsonPropertyName("otherAccountAppId")]
    public string? OtherAccountAppId { get; init; }

    /// <summary>The verdict as a report's log line gives it: the match, and for WeCom the call and the ticket, e.g. <c>current (agentConfig, corp ticket)</c>.</summary>
    public string Summary() =>
        OtherAccountAppId is not null ? $"{Match} ({OtherAccountAppId})"
        : SignatureOf is null ? Match
        : Ticket is null ? $"{Match} ({SignatureOf})"
        : $"{Match} ({SignatureOf}, {Ticket} ticket{(OtherAppAgentId is null ? "" : " of app " + OtherAppAgentId)})";
}
