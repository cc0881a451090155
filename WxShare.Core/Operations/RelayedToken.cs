using System.Text.Json.Serialization;

namespace WxShare.Operations;

/// <summary>
/// The relay's answer: the stored access_token for another backend. <paramref name="Refreshed"/> is set by the
/// refresh route only: true when that call replaced the rejected token, false when another had already.
/// </summary>
public sealed record RelayedToken(
    string AppId,
    string AccessToken,
    DateTimeOffset ExpiresAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Refreshed = null)
{
    // The token is a secret: keep it out of anything that prints records.
    public override string ToString() => $"RelayedToken {{ AppId = {AppId}, ExpiresAt = {ExpiresAt:O} }}";
}

/// <summary>The body of POST /api/wechat/token/refresh: the token WeChat rejected.</summary>
public sealed record RejectedTokenReport(string? AccessToken)
{
    public override string ToString() => "RejectedTokenReport { }";
}
