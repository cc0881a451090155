using System.Text.Json.Serialization;

namespace WxShare.WeChatSandbox.Http;

internal sealed record AccessTokenBody(string AccessToken, int ExpiresIn);

internal sealed record TicketBody(int Errcode, string Errmsg, string Ticket, int ExpiresIn);

internal sealed record ErrorBody(int Errcode, string Errmsg);

internal sealed record CallbackIpBody(IReadOnlyList<string> IpList);

internal sealed record StableTokenRequest(
    [property: JsonPropertyName("grant_type")] string? GrantType,
    [property: JsonPropertyName("appid")] string? AppId,
    [property: JsonPropertyName("secret")] string? Secret,
    [property: JsonPropertyName("force_refresh")] bool? ForceRefresh);
