using System.Text.Json.Serialization;
using WxShare.Accounts;
using WxShare.Errors;
using WxShare.Http;

namespace WxShare.WeChat;

/// <summary>WeChat's server calls that JS-SDK and card signing need. Its HttpClient must not log request URIs: they hold the secret.</summary>
public sealed class WeChatApiClient(HttpClient http, TimeProvider time)
{
    public const string JsapiTicketType = "jsapi";
    public const string CardTicketType = "wx_card";

    private readonly CredentialCallSender _sender = new(http, time, "WeChat", WeChatErrorClassifier.Classify);

    /// <summary>Set on a request that must not be repeated by the retry pipeline: a forced stable_token refresh counts against 20 a day.</summary>
    public static readonly HttpRequestOptionsKey<bool> NotRetried = new("WxShare.NotRetried");

    /// <summary>The account's access_token by its <see cref="Account.TokenApi"/>; <paramref name="forceRefresh"/> only on an operator's request.</summary>
    public Task<IssuedCredential> GetAccessTokenAsync(Account account, bool forceRefresh, CancellationToken cancellationToken) =>
        account.TokenApi == TokenApi.Stable
            ? GetStableAccessTokenAsync(account.AppId, account.AppSecret, forceRefresh, cancellationToken)
            : GetAccessTokenAsync(account.AppId, account.AppSecret, cancellationToken);

    /// <summary>GET /cgi-bin/token: a new token each time, which invalidates the previous one five minutes later.</summary>
    public Task<IssuedCredential> GetAccessTokenAsync(string appId, string appSecret, CancellationToken cancellationToken) =>
        _sender.SendAsync(ApiCall.AccessToken,
            () => new HttpRequestMessage(HttpMethod.Get,
                $"cgi-bin/token?grant_type=client_credential&appid={Uri.EscapeDataString(appId)}&secret={Uri.EscapeDataString(appSecret)}"),
            body => body.AccessToken, cancellationToken);

    /// <summary>
    /// POST /cgi-bin/stable_token: the current token with its remaining life (a new one only in its last 300 s), or,
    /// with <paramref name="forceRefresh"/>, a new one that kills the old at once (20 a day, 30 s apart).
    /// </summary>
    public Task<IssuedCredential> GetStableAccessTokenAsync(string appId, string appSecret, bool forceRefresh, CancellationToken cancellationToken) =>
        _sender.SendAsync(ApiCall.AccessToken,
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, "cgi-bin/stable_token")
                {
                    Content = CredentialCallSender.JsonBody(new StableTokenRequest("client_credential", appId, appSecret, forceRefresh), WeChatJson.Default.StableTokenRequest),
                };
                request.Options.Set(NotRetried, forceRefresh);
                return request;
            },
            body => body.AccessToken, cancellationToken);

    public Task<IssuedCredential> GetJsapiTicketAsync(string accessToken, CancellationToken cancellationToken) =>
        GetTicketAsync(ApiCall.JsapiTicket, accessToken, JsapiTicketType, cancellationToken);

    /// <summary>The card api_ticket (type=wx_card): it signs cardExt and chooseCard, never wx.config.</summary>
    public Task<IssuedCredential> GetCardTicketAsync(string accessToken, CancellationToken cancellationToken) =>
        GetTicketAsync(ApiCall.CardTicket, accessToken, CardTicketType, cancellationToken);

    /// <summary>
    /// GET /cgi-bin/getcallbackip with the token: WeChat answers <c>{"ip_list":[…]}</c> while the token works and
    /// 40001/40014/42001 once it does not. The cheapest way to ask, and it issues nothing.
    /// </summary>
    public Task<bool> AcceptsAccessTokenAsync(string accessToken, CancellationToken cancellationToken) =>
        _sender.AcceptsTokenAsync(ApiCall.TokenCheck,
            () => new HttpRequestMessage(HttpMethod.Get, $"cgi-bin/getcallbackip?access_token={Uri.EscapeDataString(accessToken)}"), cancellationToken);

    /// <summary>POST /cgi-bin/openapi/quota/get: today's quota of one API path (e.g. <c>/cgi-bin/token</c>) for the token's account.</summary>
    public async Task<QuotaAnswer> GetQuotaAsync(string accessToken, string cgiPath, CancellationToken cancellationToken) =>
        await _sender.SendJsonAsync(ApiCall.QuotaLookup,
            () => JsonPost($"cgi-bin/openapi/quota/get?access_token={Uri.EscapeDataString(accessToken)}",
                CredentialCallSender.JsonBody(new QuotaRequest(cgiPath), OpenApiDiagnosticsJson.Default.QuotaRequest)),
            OpenApiDiagnosticsJson.Default.QuotaAnswer, cancellationToken);

    /// <summary>POST /cgi-bin/openapi/rid/get: what WeChat saw of one call of the token's account (rids live 7 days).</summary>
    public async Task<RidAnswer> GetRidAsync(string accessToken, string rid, CancellationToken cancellationToken) =>
        await _sender.SendJsonAsync(ApiCall.RidLookup,
            () => JsonPost($"cgi-bin/openapi/rid/get?access_token={Uri.EscapeDataString(accessToken)}",
                CredentialCallSender.JsonBody(new RidRequest(rid), OpenApiDiagnosticsJson.Default.RidRequest)),
            OpenApiDiagnosticsJson.Default.RidAnswer, cancellationToken);

    /// <summary>
    /// POST /cgi-bin/clear_quota/v2 with the AppSecret in the body (not the query, where it would sit in every log on
    /// the way): resets the account's daily quotas. WeChat allows 10 a month, so the call is never repeated by the retry pipeline.
    /// </summary>
    public async Task ClearQuotaAsync(string appId, string appSecret, CancellationToken cancellationToken) =>
        await _sender.SendJsonAsync(ApiCall.ClearQuota,
            () =>
            {
                var request = JsonPost("cgi-bin/clear_quota/v2",
                    CredentialCallSender.JsonBody(new ClearQuotaRequest(appId, appSecret), OpenApiDiagnosticsJson.Default.ClearQuotaRequest));
                request.Options.Set(NotRetried, true);
                return request;
            },
            OpenApiDiagnosticsJson.Default.ServiceAnswer, cancellationToken);

    private static HttpRequestMessage JsonPost(string uri, HttpContent body) => new(HttpMethod.Post, uri) { Content = body };

    private Task<IssuedCredential> GetTicketAsync(ApiCall call, string accessToken, string type, CancellationToken cancellationToken) =>
        _sender.SendAsync(call,
            () => new HttpRequestMessage(HttpMethod.Get, $"cgi-bin/ticket/getticket?access_token={Uri.EscapeDataString(accessToken)}&type={type}"),
            body => body.Ticket, cancellationToken);
}

internal sealed record StableTokenRequest(
    [property: JsonPropertyName("grant_type")] string GrantType,
    [property: JsonPropertyName("appid")] string AppId,
    [property: JsonPropertyName("secret")] string Secret,
    [property: JsonPropertyName("force_refresh")] bool ForceRefresh);

[JsonSerializable(typeof(StableTokenRequest))]
internal sealed partial class WeChatJson : JsonSerializerContext;
