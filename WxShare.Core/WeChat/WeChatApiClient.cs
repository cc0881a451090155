using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Polly.Timeout;

namespace WxShare.WeChat;

/// <summary>WeChat's two server calls that JS-SDK signing needs. Its HttpClient must not log request URIs: they hold the secret.</summary>
public sealed class WeChatApiClient(HttpClient http, TimeProvider time)
{
    public Task<IssuedCredential> GetAccessTokenAsync(string appId, string appSecret, CancellationToken cancellationToken) =>
        SendAsync(WeChatCall.AccessToken,
            $"cgi-bin/token?grant_type=client_credential&appid={Uri.EscapeDataString(appId)}&secret={Uri.EscapeDataString(appSecret)}",
            body => body.AccessToken, cancellationToken);

    public Task<IssuedCredential> GetJsapiTicketAsync(string accessToken, CancellationToken cancellationToken) =>
        SendAsync(WeChatCall.JsapiTicket,
            $"cgi-bin/ticket/getticket?access_token={Uri.EscapeDataString(accessToken)}&type=jsapi",
            body => body.Ticket, cancellationToken);

    private async Task<IssuedCredential> SendAsync(
        WeChatCall call, string relativeUri, Func<WeChatResponse, string?> credentialOf, CancellationToken cancellationToken)
    {
        var fetchedAt = time.GetUtcNow();
        WeChatResponse? body;
        try
        {
            using var response = await http.GetAsync(relativeUri, cancellationToken);
            if (!response.IsSuccessStatusCode)
                throw new WeChatApiException(call, null, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            body = await response.Content.ReadFromJsonAsync<WeChatResponse>(cancellationToken);
        }
        catch (JsonException e)
        {
            throw new WeChatApiException(call, null, "the response body is not the JSON WeChat sends", e);
        }
        catch (HttpRequestException e)
        {
            throw new WeChatApiException(call, null, $"no answer ({e.HttpRequestError})", e);
        }
        catch (Exception e) when (e is TimeoutRejectedException
                                   || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new WeChatApiException(call, null, "timed out", e);
        }

        if (body is null)
            throw new WeChatApiException(call, null, "the response body is empty");
        if (body.ErrorCode is { } code and not 0)
            throw new WeChatApiException(call, code, body.ErrorMessage ?? "");
        var value = credentialOf(body);
        if (string.IsNullOrEmpty(value) || body.ExpiresIn is not > 0)
            throw new WeChatApiException(call, null, "the response has no credential or no expires_in");
        return new IssuedCredential(value, fetchedAt, fetchedAt.AddSeconds(body.ExpiresIn.Value));
    }

    private sealed record WeChatResponse(
        [property: JsonPropertyName("errcode")] int? ErrorCode,
        [property: JsonPropertyName("errmsg")] string? ErrorMessage,
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("ticket")] string? Ticket,
        [property: JsonPropertyName("expires_in")] int? ExpiresIn);
}
