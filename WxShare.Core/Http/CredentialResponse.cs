using System.Text.Json.Serialization;

namespace WxShare.Http;

/// <summary>What every WeChat and WeCom answer carries: errcode (0 or absent on success) and errmsg.</summary>
internal interface IServiceAnswer
{
    int? ErrorCode { get; }
    string? ErrorMessage { get; }
}

/// <summary>
/// An answer's errcode and errmsg, read once for every answer that has more (<see cref="CredentialResponse"/>, the
/// diagnostic calls'); alone, a whole answer (clear_quota's).
/// </summary>
public record ServiceAnswer(
    [property: JsonPropertyName("errcode")] int? ErrorCode,
    [property: JsonPropertyName("errmsg")] string? ErrorMessage) : IServiceAnswer;

/// <summary>
/// How WeChat and WeCom both answer a credential call: errcode and errmsg, and on success the access_token or ticket
/// with its expires_in.
/// </summary>
internal sealed record CredentialResponse(int? ErrorCode, string? ErrorMessage,
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("ticket")] string? Ticket,
    [property: JsonPropertyName("expires_in")] int? ExpiresIn) : ServiceAnswer(ErrorCode, ErrorMessage);

/// <summary>Source-generated reading of <see cref="CredentialResponse"/>, for both services: every refresh reads one.</summary>
[JsonSerializable(typeof(CredentialResponse))]
internal sealed partial class CredentialResponseJson : JsonSerializerContext;
