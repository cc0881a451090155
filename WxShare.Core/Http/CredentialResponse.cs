using System.Text.Json.Serialization;

namespace WxShare.Http;

/// <summary>
/// How WeChat and WeCom both answer a credential call: errcode and errmsg, and on success the access_token or ticket
/// with its expires_in.
/// </summary>
internal sealed record CredentialResponse(
    [property: JsonPropertyName("errcode")] int? ErrorCode,
    [property: JsonPropertyName("errmsg")] string? ErrorMessage,
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("ticket")] string? Ticket,
    [property: JsonPropertyName("expires_in")] int? ExpiresIn) : IServiceAnswer;

/// <summary>What every WeChat and WeCom answer carries: errcode (0 or absent on success) and errmsg.</summary>
internal interface IServiceAnswer
{
    int? ErrorCode { get; }
    string? ErrorMessage { get; }
}

/// <summary>Source-generated reading of <see cref="CredentialResponse"/>, for both services: every refresh reads one.</summary>
[JsonSerializable(typeof(CredentialResponse))]
internal sealed partial class CredentialResponseJson : JsonSerializerContext;
