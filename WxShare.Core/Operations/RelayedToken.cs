using System.Text.Json.Serialization;
using WxShare.Accounts;
using WxShare.WeChat;

namespace WxShare.Operations;

/// <summary>
/// The relay's answer: the stored access_token for another backend. <paramref name="AgentId"/> names a WeCom app (whose
/// <paramref name="AppId"/> is its CorpId); absent for an official account. <paramref name="Refreshed"/> is set by the
/// refresh route only: true when that call replaced the rejected token, false when another had already.
/// </summary>
public sealed record RelayedToken(
    string AppId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AgentId,
    string AccessToken,
    DateTimeOffset ExpiresAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Refreshed = null)
{
    public static RelayedToken Of(Account account, IssuedCredential token, bool? refreshed = null) =>
        new(account.AppId, account.AgentId, token.Value, token.ExpiresAt, refreshed);

    // The token is a secret: keep it out of anything that prints records.
    public override string ToString() => $"RelayedToken {{ AppId = {AppId}, AgentId = {AgentId}, ExpiresAt = {ExpiresAt:O} }}";
}

/// <summary>The body of POST /api/wechat/token/refresh: the token WeChat rejected.</summary>
public sealed record RejectedTokenReport(string? AccessToken)
{
    public override string ToString() => "RejectedTokenReport { }";
}
