using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Platform;
using WxShare.Storage;
using WxShare.WeChat;
using WxShare.WeChatSandbox.Platform;

namespace WxShare.Functions.Tests.Platform;

/// <summary>
/// The event receiver against Azurite and the sandbox: the sandbox's pushes stored (ticket with its time, authorizer
/// after api_query_auth, unauthorized kept); every spoiled push rejected with its reason, nothing stored, logged once.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PlatformEventReceiverTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string AuthorizerAppId = "wxa1b2c3d4e5f6a7b8";
    private PlatformTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await PlatformTestBed.StartAsync(azurite);

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task The_sandboxs_ticket_push_is_answered_success_and_stored_with_its_time()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var push = await _bed.Sandbox.PlatformPusher.PushVerifyTicketAsync(CancellationToken.None);

        Assert.True(push.Succeeded, $"{push.Status} {push.Answer}");
        var component = await _bed.Store.GetComponentAsync(PlatformTestSettings.Name, CancellationToken.None);
        Assert.NotNull(component.Ticket);
        Assert.True(component.Ticket.Value == _bed.SandboxPlatform.LatestVerifyTicket(), "The stored ticket is not the one pushed.");
        Assert.InRange(component.Ticket.CreatedAt, before.AddSeconds(-1), DateTimeOffset.UtcNow);
        Assert.InRange(component.Ticket.ReceivedAt, before, DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task A_repeated_or_older_ticket_push_changes_nothing()
    {
        var now = DateTimeOffset.UtcNow;
        var newer = PlatformPushes.Signed(PlatformPushes.SandboxCrypto.Encrypt(PlatformPushes.TicketMessage("ticket@@@newer", now)), now);
        var older = PlatformPushes.Signed(PlatformPushes.SandboxCrypto.Encrypt(PlatformPushes.TicketMessage("ticket@@@older", now.AddMinutes(-10))), now);

        Assert.Equal(PlatformEventEffect.TicketStored, (await ReceiveAsync(newer)).Effect);
        Assert.Equal(PlatformEventEffect.AlreadyApplied, (await ReceiveAsync(newer)).Effect);
        Assert.Equal(PlatformEventEffect.AlreadyApplied, (await ReceiveAsync(older)).Effect);

        var component = await _bed.Store.GetComponentAsync(PlatformTestSettings.Name, CancellationToken.None);
        Assert.True(component.Ticket?.Value == "ticket@@@newer", "The newer ticket was replaced by an older one.");
    }

    [Fact]
    public async Task Authorization_exchanges_the_code_at_once_and_stores_a_refresh_token_whose_access_token_gets_a_jsapi_ticket()
    {
        Assert.True((await _bed.Sandbox.PlatformPusher.PushVerifyTicketAsync(CancellationToken.None)).Succeeded);

        var (status, location) = await _bed.AuthorizeAsync(AuthorizerAppId);

        Assert.Equal(HttpStatusCode.Redirect, status);
        Assert.StartsWith("https://wx.example.com/api/platform/saas/authorized?x=1&auth_code=", location);
        var push = _bed.Sandbox.PlatformPusher.Pushes[^1];
        Assert.Equal("authorized", push.InfoType);
        Assert.True(push.Succeeded, $"{push.Status} {push.Answer}");

        var authorizer = await _bed.Store.GetAuthorizerAsync(PlatformTestSettings.Name, AuthorizerAppId, CancellationToken.None);
        Assert.Equal(AuthorizerStatus.Authorized, authorizer.Status);
        Assert.True(authorizer.RefreshToken is not null && authorizer.RefreshToken == _bed.SandboxPlatform.RefreshTokenOf(AuthorizerAppId),
            "The stored refresh token is not the account's current one.");
        Assert.Equal(PlatformSandboxState.GrantedFuncScopes, authorizer.FuncInfo);
        Assert.NotNull(authorizer.AuthorizedAt);
        Assert.Null(authorizer.PendingAuthorizationCode);
        // One authorization costs two component calls: the component token (then stored) and the exchange.
        Assert.Equal((1, 1), (_bed.SandboxPlatform.Calls["api_component_token"], _bed.SandboxPlatform.Calls["api_query_auth"]));

        // The component token the exchange needed is the engine's, stored in the platform's component row for the refresh to reuse.
        var platform = _bed.Host.App.Services.GetRequiredService<PlatformRegistry>().Find(PlatformTestSettings.Name)!;
        Assert.NotNull((await _bed.Host.App.Services.GetRequiredService<CredentialStore>().GetAsync(platform.ComponentAccount.StorageKey, CancellationToken.None)).AccessToken);

        // The authorizer's access token is one the sandbox's getticket serves, as the real one does.
        Assert.NotNull(authorizer.AccessToken);
        var weChat = _bed.Host.App.Services.GetRequiredService<WeChatApiClient>();
        var ticket = await weChat.GetJsapiTicketAsync(authorizer.AccessToken.Value, CancellationToken.None);
        Assert.True(_bed.Sandbox.State.IsTicketValid(AuthorizerAppId, ticket.Value), "The authorizer's jsapi ticket is not one the sandbox issued to it.");
    }

    [Fact]
    public async Task WeChats_repeat_of_an_authorized_push_is_success_without_a_second_exchange()
    {
        Assert.True((await _bed.Sandbox.PlatformPusher.PushVerifyTicketAsync(CancellationToken.None)).Succeeded);
        var now = DateTimeOffset.UtcNow;
        var message = $"<xml><AppId>{PlatformSandboxDefaults.ComponentAppId}</AppId><CreateTime>{now.ToUnixTimeSeconds()}</CreateTime>"
                      + $"<InfoType>authorized</InfoType><AuthorizerAppid>{AuthorizerAppId}</AuthorizerAppid>"
                      + "<AuthorizationCode>queryauthcode@@@unknown-to-the-sandbox</AuthorizationCode></xml>";
        var push = PlatformPushes.Signed(PlatformPushes.SandboxCrypto.Encrypt(message), now);

        var first = await ReceiveAsync(push);
        var repeat = await ReceiveAsync(push);

        // The sandbox refuses the made-up code (61010): the code is kept, and the repeat neither exchanges nor stores again.
        Assert.Equal(PlatformEventEffect.ExchangeDeferred, first.Effect);
        Assert.Equal(PlatformEventEffect.AlreadyApplied, repeat.Effect);
        Assert.True(repeat.Accepted);
        Assert.Equal(1, _bed.SandboxPlatform.Calls["api_query_auth"]);
    }

    [Fact]
    public async Task Unauthorized_marks_the_account_and_keeps_its_record()
    {
        Assert.True((await _bed.Sandbox.PlatformPusher.PushVerifyTicketAsync(CancellationToken.None)).Succeeded);
        await _bed.AuthorizeAsync(AuthorizerAppId);
        var authorized = await _bed.Store.GetAuthorizerAsync(PlatformTestSettings.Name, AuthorizerAppId, CancellationToken.None);

        using var http = new HttpClient { BaseAddress = _bed.Sandbox.BaseAddress };
        (await http.PostAsync($"sandbox/platform/unauthorize?appid={AuthorizerAppId}", null)).EnsureSuccessStatusCode();

        var after = await _bed.Store.GetAuthorizerAsync(PlatformTestSettings.Name, AuthorizerAppId, CancellationToken.None);
        Assert.Equal(AuthorizerStatus.Unauthorized, after.Status);
        Assert.NotNull(after.UnauthorizedAt);
        Assert.True(after.RefreshToken == authorized.RefreshToken, "The record lost its refresh token.");
        Assert.Equal(authorized.FuncInfo, after.FuncInfo);
        Assert.Null(after.AccessToken);
    }

    [Fact]
    public async Task Without_a_ticket_the_code_is_kept_for_another_exchange()
    {
        await _bed.AuthorizeAsync(AuthorizerAppId);

        var authorizer = await _bed.Store.GetAuthorizerAsync(PlatformTestSettings.Name, AuthorizerAppId, CancellationToken.None);
        Assert.Equal(AuthorizerStatus.PendingExchange, authorizer.Status);
        Assert.StartsWith("queryauthcode@@@", authorizer.PendingAuthorizationCode);
        Assert.NotNull(authorizer.PendingCodeExpiresAt);
        Assert.Single(_bed.ReceiverLogs(LogLevel.Warning));
    }

    public static TheoryData<string> Spoilt => new()
    {
        "bad_signature", "stale_timestamp", "bad_padding", "wrong_receiver", "malformed_xml", "dtd", "message_not_xml", "body_too_large",
        "unknown_platform", "bad_query",
    };

    [Theory]
    [MemberData(nameof(Spoilt))]
    public async Task A_spoilt_push_is_rejected_with_its_reason_stores_nothing_and_is_logged_once(string spoilt)
    {
        var now = DateTimeOffset.UtcNow;
        const string ticket = "ticket@@@must-not-be-stored";
        var message = PlatformPushes.TicketMessage(ticket, now);
        var good = PlatformPushes.SandboxCrypto.Encrypt(message);
        var platform = PlatformTestSettings.Name;
        var (push, expected) = spoilt switch
        {
            "bad_signature" => (PlatformPushes.Signed(good, now, new PlatformMessageCrypto("othertoken", PlatformSandboxDefaults.EncodingAESKey,
                PlatformSandboxDefaults.ComponentAppId)), PlatformEventRejection.BadSignature),
            "stale_timestamp" => (PlatformPushes.Signed(good, now.AddMinutes(-6)), PlatformEventRejection.StaleTimestamp),
            "bad_padding" => (PlatformPushes.Signed(PlatformPushes.RawEncrypt(new byte[64]), now), PlatformEventRejection.BadPadding),
            "wrong_receiver" => (PlatformPushes.Signed(new PlatformMessageCrypto(PlatformSandboxDefaults.Token, PlatformSandboxDefaults.EncodingAESKey,
                "wx0000000000000000").Encrypt(message), now), PlatformEventRejection.WrongReceiver),
            "malformed_xml" => (PlatformPushes.Signed(good, now) with { Body = "<xml><Encrypt>"u8.ToArray() }, PlatformEventRejection.MalformedXml),
            "dtd" => (PlatformPushes.Signed(good, now) with
            {
                Body = Encoding.UTF8.GetBytes($"<!DOCTYPE xml [<!ENTITY e SYSTEM \"file:///etc/hostname\">]><xml><Encrypt>{good}</Encrypt><X>&e;</X></xml>"),
            }, PlatformEventRejection.MalformedXml),
            "message_not_xml" => (PlatformPushes.Signed(PlatformPushes.SandboxCrypto.Encrypt("component_verify_ticket=" + ticket), now),
                PlatformEventRejection.MalformedXml),
            "body_too_large" => (PlatformPushes.Signed(good, now) with { Body = new byte[PlatformEventReceiver.MaxBodyBytes + 1] }, PlatformEventRejection.BodyTooLarge),
            "unknown_platform" => (PlatformPushes.Signed(good, now), PlatformEventRejection.UnknownPlatform),
            "bad_query" => (PlatformPushes.Signed(good, now) with { EncryptType = "raw" }, PlatformEventRejection.BadQuery),
            _ => throw new ArgumentOutOfRangeException(nameof(spoilt)),
        };
        if (spoilt == "unknown_platform")
            platform = "other";

        var outcome = await _bed.Receiver.ReceiveAsync(platform, push.Timestamp, push.Nonce, push.EncryptType, push.MsgSignature, push.BodyStream,
            CancellationToken.None);

        Assert.Equal(expected, outcome.Rejection);
        Assert.False(outcome.Accepted);
        Assert.Empty(await _bed.PlatformRowsAsync());
        var logged = Assert.Single(_bed.ReceiverLogs(LogLevel.Warning));
        Assert.Contains(expected.Code(), logged.Message);
        var everyLog = string.Join("\n", _bed.Host.App.Services.GetRequiredService<Microsoft.Extensions.Logging.Testing.FakeLogCollector>().GetSnapshot()
            .Select(r => r.Message));
        Assert.DoesNotContain(ticket, everyLog);
        Assert.DoesNotContain(PlatformSandboxDefaults.EncodingAESKey, everyLog);
        Assert.DoesNotContain(good, everyLog);
    }

    [Fact]
    public async Task Rejections_answer_the_route_with_their_status_and_a_json_error()
    {
        var now = DateTimeOffset.UtcNow;
        var push = PlatformPushes.Signed(PlatformPushes.SandboxCrypto.Encrypt(PlatformPushes.TicketMessage("t", now)), now);
        var uri = $"api/platform/saas/events?timestamp={push.Timestamp}&nonce={push.Nonce}&encrypt_type=aes&msg_signature=0000";

        using var response = await _bed.Host.Client.PostAsync(uri, new ByteArrayContent(push.Body));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("\"error\":\"bad_signature\"", await response.Content.ReadAsStringAsync());
    }

    private Task<PlatformEventOutcome> ReceiveAsync(PlatformPushRequest push) =>
        _bed.Receiver.ReceiveAsync(PlatformTestSettings.Name, push.Timestamp, push.Nonce, push.EncryptType, push.MsgSignature, push.BodyStream,
            CancellationToken.None);
}
