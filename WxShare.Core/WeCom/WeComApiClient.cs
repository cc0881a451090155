using WxShare.Errors;
using WxShare.Http;
using WxShare.WeChat;

namespace WxShare.WeCom;

/// <summary>
/// WeCom's three server calls that signing needs: gettoken with an app's Secret, the corp ticket and the agent ticket.
/// Its HttpClient must not log request URIs: they hold the Secret and the token.
/// </summary>
public sealed class WeComApiClient(HttpClient http, TimeProvider time)
{
    /// <summary>How many times one call may reach WeCom: the first attempt and the resilience pipeline's retries.</summary>
    public const int MaxAttemptsPerCall = ApiHttpClient.MaxAttemptsPerCall;

    private readonly CredentialCallSender _sender = new(http, time, "WeCom", WeComErrorClassifier.Classify);

    public Task<IssuedCredential> GetAccessTokenAsync(string corpId, string secret, CancellationToken cancellationToken) =>
        GetAsync(ApiCall.AccessToken, $"cgi-bin/gettoken?corpid={Uri.EscapeDataString(corpId)}&corpsecret={Uri.EscapeDataString(secret)}",
            body => body.AccessToken, cancellationToken);

    /// <summary>The corp's jsapi_ticket, which signs wx.config (not WeChat's ticket/getticket).</summary>
    public Task<IssuedCredential> GetCorpTicketAsync(string accessToken, CancellationToken cancellationToken) =>
        GetAsync(ApiCall.JsapiTicket, $"cgi-bin/get_jsapi_ticket?access_token={Uri.EscapeDataString(accessToken)}", body => body.Ticket, cancellationToken);

    /// <summary>The app's ticket, which signs wx.agentConfig; the token must come from that app's Secret.</summary>
    public Task<IssuedCredential> GetAgentTicketAsync(string accessToken, CancellationToken cancellationToken) =>
        GetAsync(ApiCall.AgentTicket, $"cgi-bin/ticket/get?access_token={Uri.EscapeDataString(accessToken)}&type=agent_config",
            body => body.Ticket, cancellationToken);

    private Task<IssuedCredential> GetAsync(ApiCall call, string relativeUri, Func<CredentialResponse, string?> credentialOf, CancellationToken cancellationToken) =>
        _sender.SendAsync(call, () => new HttpRequestMessage(HttpMethod.Get, relativeUri), credentialOf, cancellationToken);
}
