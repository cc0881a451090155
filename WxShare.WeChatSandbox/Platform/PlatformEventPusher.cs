using System.Security;
using System.Text;

namespace WxShare.WeChatSandbox.Platform;

/// <summary>One push the sandbox made to the platform's event URL, and what the platform answered.</summary>
/// <param name="Status">The HTTP status of the answer; null when there was none (refused, timed out) or no event URL is set.</param>
/// <param name="Answer">The answer's body (WeChat expects the plain text <c>success</c>), cut to 200 characters.</param>
public sealed record PlatformPush(string InfoType, DateTimeOffset At, int? Status, string? Answer)
{
    public bool Succeeded => Status == 200 && Answer == "success";
}

/// <summary>POSTs encrypted events to the configured event URL, as WeChat does: verify tickets, authorized, unauthorized.</summary>
public sealed class PlatformEventPusher(PlatformSandboxState state, TimeProvider time)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) }; // WeChat waits 5 s for an answer
    private readonly PushEncryptor _encryptor = new(state.Options.Token, state.Options.EncodingAESKey, state.Options.ComponentAppId);
    private readonly List<PlatformPush> _pushes = [];

    /// <summary>Every push so far, oldest first.</summary>
    public IReadOnlyList<PlatformPush> Pushes
    {
        get { lock (_pushes) return _pushes.ToArray(); }
    }

    /// <summary>Issues a new verify ticket and pushes it.</summary>
    public Task<PlatformPush> PushVerifyTicketAsync(CancellationToken cancellationToken)
    {
        var (ticket, createdAt) = state.IssueVerifyTicket();
        return PushAsync("component_verify_ticket", createdAt, $"<ComponentVerifyTicket><![CDATA[{ticket}]]></ComponentVerifyTicket>", cancellationToken);
    }

    internal Task<PlatformPush> PushAuthorizedAsync(string authorizerAppId, string code, DateTimeOffset codeExpiresAt, bool isUpdate, string? preAuthCode,
        CancellationToken cancellationToken) =>
        PushAsync(isUpdate ? "updateauthorized" : "authorized", time.GetUtcNow(),
            $"<AuthorizerAppid><![CDATA[{authorizerAppId}]]></AuthorizerAppid><AuthorizationCode><![CDATA[{code}]]></AuthorizationCode>"
            + $"<AuthorizationCodeExpiredTime>{codeExpiresAt.ToUnixTimeSeconds()}</AuthorizationCodeExpiredTime>"
            + $"<PreAuthCode><![CDATA[{preAuthCode}]]></PreAuthCode>", cancellationToken);

    internal Task<PlatformPush> PushUnauthorizedAsync(string authorizerAppId, CancellationToken cancellationToken) =>
        PushAsync("unauthorized", time.GetUtcNow(), $"<AuthorizerAppid><![CDATA[{authorizerAppId}]]></AuthorizerAppid>", cancellationToken);

    private async Task<PlatformPush> PushAsync(string infoType, DateTimeOffset createdAt, string fields, CancellationToken cancellationToken)
    {
        var message = $"<xml><AppId><![CDATA[{SecurityElement.Escape(state.Options.ComponentAppId)}]]></AppId><CreateTime>{createdAt.ToUnixTimeSeconds()}</CreateTime>"
                      + $"<InfoType><![CDATA[{infoType}]]></InfoType>{fields}</xml>";
        PlatformPush push;
        if (state.Options.EventUrl is not { } eventUrl)
            push = new PlatformPush(infoType, createdAt, null, "no event URL is set (Sandbox__Platform__EventUrl)");
        else
        {
            var (body, query) = _encryptor.Wrap(message, time.GetUtcNow().ToUnixTimeSeconds());
            var target = new UriBuilder(eventUrl) { Query = string.IsNullOrEmpty(eventUrl.Query) ? query : eventUrl.Query.TrimStart('?') + "&" + query }.Uri;
            try
            {
                // A body of known length, as WeChat sends it.
                using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                content.Headers.ContentType = new("text/xml") { CharSet = "utf-8" };
                using var response = await Http.PostAsync(target, content, cancellationToken);
                var answer = await response.Content.ReadAsStringAsync(cancellationToken);
                push = new PlatformPush(infoType, createdAt, (int)response.StatusCode, answer.Length > 200 ? answer[..200] : answer);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                push = new PlatformPush(infoType, createdAt, null, $"no answer: {e.GetType().Name}");
            }
        }
        lock (_pushes)
            _pushes.Add(push);
        return push;
    }
}

/// <summary>Pushes a verify ticket at start and then every Sandbox__Platform__PushIntervalSeconds, as WeChat does every 10 minutes.</summary>
internal sealed class PlatformTicketPushService(PlatformEventPusher pusher, PlatformSandboxState state, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (state.Options.EventUrl is null || state.Options.PushIntervalSeconds <= 0)
            return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(state.Options.PushIntervalSeconds), time);
        do
        {
            await pusher.PushVerifyTicketAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
