using System.Net.Http.Json;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Polly.Timeout;
using WxShare.Errors;
using WxShare.WeChat;

namespace WxShare.Http;

/// <summary>
/// The one HTTP call path of WeChat's and WeCom's clients: send, check the HTTP status, read the JSON, tell a time-out
/// from the caller's cancellation, then the errcode, and for a credential call the credential and its expires_in. Every failure is a
/// <see cref="ApiCallException"/> carrying the service's name and its handling as the service means the errcode.
/// </summary>
/// <param name="service">The service's name in failure messages: <c>WeChat</c> or <c>WeCom</c>.</param>
/// <param name="classify">How the service's errcodes are handled (they differ: e.g. 60020 is WeCom's, 40164 WeChat's).</param>
internal sealed class CredentialCallSender(HttpClient http, TimeProvider time, string service, Func<ApiCall, int?, ApiErrorKind> classify)
{
    public async Task<IssuedCredential> SendAsync(
        ApiCall call, Func<HttpRequestMessage> request, Func<CredentialResponse, string?> credentialOf, CancellationToken cancellationToken)
    {
        var fetchedAt = time.GetUtcNow();
        var body = await SendJsonAsync(call, request, CredentialResponseJson.Default.CredentialResponse, cancellationToken);
        var value = credentialOf(body);
        if (string.IsNullOrEmpty(value) || body.ExpiresIn is not > 0)
            throw Failure(call, null, "the response has no credential or no expires_in");
        return new IssuedCredential(value, fetchedAt, fetchedAt.AddSeconds(body.ExpiresIn.Value));
    }

    /// <summary>
    /// A call made with a token only to learn whether the service still accepts it: true on success, false when the
    /// errcode says the token is rejected (40001, 40014, 42001); any other failure throws as every call's does.
    /// </summary>
    public async Task<bool> AcceptsTokenAsync(ApiCall call, Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        try
        {
            await SendJsonAsync(call, request, CredentialResponseJson.Default.CredentialResponse, cancellationToken);
            return true;
        }
        catch (ApiCallException e) when (e.Kind == ApiErrorKind.TokenRejected)
        {
            return false;
        }
    }

    /// <summary>
    /// Any JSON call: send, check the HTTP status, read the answer as <typeparamref name="TAnswer"/>, then its errcode
    /// (non-zero is a <see cref="ApiCallException"/>). The credential calls and the diagnostic calls share it.
    /// </summary>
    public async Task<TAnswer> SendJsonAsync<TAnswer>(
        ApiCall call, Func<HttpRequestMessage> request, JsonTypeInfo<TAnswer> answerType, CancellationToken cancellationToken)
        where TAnswer : class, IServiceAnswer
    {
        TAnswer? body;
        try
        {
            using var message = request();
            await EnsureLengthAsync(message, cancellationToken);
            using var response = await http.SendAsync(message, cancellationToken);
            if (!response.IsSuccessStatusCode)
                throw Failure(call, null, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            body = await response.Content.ReadFromJsonAsync(answerType, cancellationToken);
        }
        catch (JsonException e)
        {
            throw Failure(call, null, $"the response body is not the JSON {service} sends", e);
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
        return body;
    }

    /// <summary>A failure of <paramref name="call"/> with no errcode, e.g. an answer lacking a field the caller needs.</summary>
    public ApiCallException Unusable(ApiCall call, string message) => Failure(call, null, message);

    /// <summary>
    /// A JSON request body as bytes. <c>JsonContent.Create</c> streams (chunked, no Content-Length), and WeChat's front
    /// end answers a POST without a length 412 Precondition Failed.
    /// </summary>
    public static HttpContent JsonBody<T>(T value, JsonTypeInfo<T> type)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, type));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>Every body leaves with a Content-Length: one of unknown length is buffered first, whoever built it.</summary>
    private static async Task EnsureLengthAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        if (message.Content is { } content && content.Headers.ContentLength is null)
            await content.LoadIntoBufferAsync(cancellationToken);
    }

    private ApiCallException Failure(ApiCall call, int? code, string message, Exception? inner = null) =>
        new(call, code, message, inner, classify(call, code), service);
}
