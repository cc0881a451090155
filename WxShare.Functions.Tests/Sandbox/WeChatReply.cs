using System.Net;
using System.Text.Json;

namespace WxShare.Functions.Tests.Sandbox;

/// <summary>One raw HTTP answer from the sandbox, with WeChat's fields read out when the body is JSON.</summary>
internal sealed record WeChatReply(HttpStatusCode Status, string? MediaType, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public int ErrCode => Json.TryGetProperty("errcode", out var code) ? code.GetInt32() : 0;

    public string? ErrMsg => Json.TryGetProperty("errmsg", out var message) ? message.GetString() : null;

    public string? AccessToken => Json.TryGetProperty("access_token", out var token) ? token.GetString() : null;

    public string? Ticket => Json.TryGetProperty("ticket", out var ticket) ? ticket.GetString() : null;

    public int? ExpiresIn => Json.TryGetProperty("expires_in", out var expiresIn) ? expiresIn.GetInt32() : null;
}
