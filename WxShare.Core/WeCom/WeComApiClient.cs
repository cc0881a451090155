using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Polly.Timeout;
using WxShare.WeChat;

namespace WxShare.WeCom;

/// <summary>
/// WeCom's three server calls that signing needs: gettoken with an app's Secret, the corp ticket and the agent ticket.
/// Its HttpClient must not log request URIs: they hold the Secret and the token.
/// </summary>
public sealed class WeComApiClient(HttpClient http, TimeProvider time)
{
    /// <summary>How many times one call may reach WeCom: the first attempt and the resilience pipeline's retries.</summary>
    public const int MaxAttemptsPerCall = Http.ApiHttpClient.MaxAttemptsPerCall;

    public Task<IssuedCredential> GetAccessTokenAsync(string corpId, string secret, CancellationToken cancellationToken) =>
        SendAsync(WeChatCall.AccessToken,
            $"cgi-bin/gettoken?corpid={Uri.EscapeDataString(corpId)}&corpsecret={Uri.EscapeDataString(secret)}",
            body => body.AccessToken, cancellationToken);

    /// <summary>The corp's jsapi_ticket, which signs wx.config (not WeChat's ticket/getticket).</summary>
    public Task<IssuedCredential> GetCorpTicketAsync(string accessToken, CancellationToken cancellationToken) =>
        SendAsync(WeChatCall.JsapiTicket, $"cgi-bin/get_jsapi_ticket?access_token={Uri.EscapeDataString(accessToken)}",
            body => body.Ticket, cancellationToken);

    /// <summary>The app's ticket, which signs wx.agentConfig; the token must come from that app's Secret.</summary>
    public Task<IssuedCredential> GetAgentTicketAsync(string accessToken, CancellationToken cancellationToken) =>
        SendAsync(WeChatCall.AgentTicket, $"cgi-bin/ticket/get?access_token={Uri.EscapeDataString(accessToken)}&type=agent_config",
            body => body.Ticket, cancellationToken);

    private async Task<IssuedCredential> SendAsync(
        WeChatCall call, string relativeUri, Func<WeComResponse, string?> credentialOf, CancellationToken cancellationToken)
    {
        var fetchedAt = time.GetUtcNow();
        WeComResponse? body;
        try
        {
            using var response = await http.GetAsync(relativeUri, cancellationToken);
            if (!response.IsSuccessStatusCode)
                throw Failure(call, null, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            body = await response.Content.ReadFromJsonAsync<WeComResponse>(cancellationToken);
        }
        catch (JsonException e)
        {
            throw Failure(call, null, "the response body is not the JSON WeCom sends", e);
        }
        catch (HttpRequestException e)
        {
            throw Failure(call, null, $"no answer ({e.HttpRequestError})", e);
        }
        catch (Exception e) when (e is TimeoutRejectedException
                                   || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw Failure(call, null, "timed out", e);
        }

        if (body is null)
            throw Failure(call, null, "the response body is empty");
        if (body.ErrorCode is { } code and not 0)
            throw Failure(call, code, body.ErrorMessage ?? "");
        var value = credentialOf(body);
        if (string.IsNullOrEmpty(value) || body.ExpiresIn is not > 0)
            throw Failure(call, null, "the response has no credential or no expires_in");
        return new IssuedCredential(value, fetchedAt, fetchedAt.AddSeconds(body.ExpiresIn.Value));
    }

    private static WeChatApiException Failure(WeChatCall call, int? code, string message, Exception? inner = null) =>
        new(call, code, message, inner, WeComErrorClassifier.Classify(call, code));

    private sealed record WeComResponse(
        [property: JsonPropertyName("errcode")] int? ErrorCode,
        [property: JsonPropertyName("errmsg")] string? ErrorMessage,
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("ticket")] string? Ticket,
        [property: JsonPropertyName("expires_in")] int? ExpiresIn);
}
