using System.Net;
using System.Text;
using System.Text.Json;
using WxShare.Functions.Tests.Sandbox;
using WxShare.Functions.Tests.Wire;
using WxShare.Platform;
using WxShare.WeChatSandbox;
using WxShare.WeChatSandbox.Platform;

namespace WxShare.Functions.Tests.Platform;

/// <summary>
/// The sandbox's Open Platform side: component endpoints with the answers and errors of the facts sheet, the pusher's
/// POSTs as WxShare's crypto reads them, the authorization simulator, and the 61005/61023 switches; on a fake clock.
/// </summary>
public sealed class PlatformSandboxTests : IAsyncLifetime
{
    private const string ComponentAppId = PlatformSandboxDefaults.ComponentAppId;
    private const string AuthorizerAppId = "wxa1b2c3d4e5f6a7b8";
    private readonly RawHttpCapture _eventUrl = new(_ => "{}");
    private SandboxHarness _sandbox = null!;

    public async Task InitializeAsync() =>
        _sandbox = await SandboxHarness.StartAsync(new SandboxOptions { Platform = new PlatformSandboxOptions { PushIntervalSeconds = 0 } });

    public async Task DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        await _eventUrl.DisposeAsync();
    }

    private PlatformSandboxState Platform => _sandbox.Server.Platform;

    [Fact]
    public async Task A_pushed_ticket_is_a_signed_encrypted_post_that_WxShares_crypto_reads()
    {
        Platform.Options.EventUrl = new Uri(_eventUrl.BaseAddress, "api/platform/saas/events?keep=1");

        await _sandbox.Server.PlatformPusher.PushVerifyTicketAsync(CancellationToken.None);

        var request = _eventUrl.Single();
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/platform/saas/events", request.Path);
        Assert.Equal(["keep", "timestamp", "nonce", "signature", "encrypt_type", "msg_signature"], request.QueryKeys);
        Assert.Equal("aes", request.QueryValue("encrypt_type"));
        Assert.Equal(request.RawBody.Length, int.Parse(request.Header("Content-Length")!));
        Assert.Equal(_sandbox.Time.GetUtcNow().ToUnixTimeSeconds().ToString(), request.QueryValue("timestamp"));

        var encrypt = PlatformEventXml.ReadEncrypt(request.Body);
        Assert.NotNull(encrypt);
        var crypto = PlatformPushes.SandboxCrypto;
        Assert.True(crypto.IsSignatureValid(request.QueryValue("timestamp")!, request.QueryValue("nonce")!, encrypt, request.QueryValue("msg_signature")!));
        Assert.Null(crypto.TryDecrypt(encrypt, out var message));
        var ticket = Assert.IsType<ComponentVerifyTicketEvent>(PlatformEventXml.ReadEvent(message));
        Assert.Equal(ComponentAppId, ticket.ComponentAppId);
        Assert.Equal(_sandbox.Time.GetUtcNow().ToUnixTimeSeconds(), ticket.CreatedAt.ToUnixTimeSeconds());
        Assert.True(ticket.Ticket == Platform.LatestVerifyTicket(), "The pushed ticket is not the sandbox's latest.");
    }

    [Fact]
    public async Task The_timer_pushes_at_start_and_every_interval()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(SandboxHarness.DefaultStart);
        await using var sandbox = await WeChatSandboxServer.StartAsync(new SandboxOptions
        {
            Platform = new PlatformSandboxOptions { EventUrl = _eventUrl.BaseAddress, PushIntervalSeconds = 600 },
        }, time);

        await WaitForAsync(() => _eventUrl.Requests.Count == 1);
        time.Advance(TimeSpan.FromSeconds(600));
        await WaitForAsync(() => _eventUrl.Requests.Count == 2);
        Assert.All(sandbox.PlatformPusher.Pushes, p => Assert.Equal("component_verify_ticket", p.InfoType));
    }

    [Fact]
    public async Task The_component_token_needs_a_pushed_ticket_younger_than_12_hours()
    {
        Assert.Equal(61006, (await PostAsync("api_component_token", null, Secretful("ticket@@@never-pushed"))).ErrCode);

        var ticket = await PushTicketAsync();
        var reply = await PostAsync("api_component_token", null, Secretful(ticket));
        Assert.Equal(0, reply.ErrCode);
        Assert.False(string.IsNullOrEmpty(reply.Json.GetProperty("component_access_token").GetString()));
        Assert.Equal(7200, reply.ExpiresIn);
        Assert.Equal("application/json", reply.MediaType);

        _sandbox.Time.Advance(TimeSpan.FromHours(12));
        Assert.Equal(61005, (await PostAsync("api_component_token", null, Secretful(ticket))).ErrCode);
    }

    [Fact]
    public async Task The_61005_switch_refuses_every_ticket_and_its_errmsg_has_a_rid()
    {
        var ticket = await PushTicketAsync();
        await SwitchAsync(ticketsExpired: true, refreshTokensInvalid: false);

        var reply = await PostAsync("api_component_token", null, Secretful(ticket));

        Assert.Equal(61005, reply.ErrCode);
        Assert.Matches(@" rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$", reply.ErrMsg);
        Assert.Equal(PlatformErrorAction.WaitForTicketPush, PlatformErrorClassifier.Action(reply.ErrCode));
    }

    [Fact]
    public async Task A_new_component_token_ends_the_previous_one_with_40001_and_a_rid()
    {
        var ticket = await PushTicketAsync();
        var previous = (await PostAsync("api_component_token", null, Secretful(ticket))).Json.GetProperty("component_access_token").GetString()!;
        Assert.Equal(0, (await PostAsync("api_create_preauthcode", previous, new { component_appid = ComponentAppId })).ErrCode);

        // Fetched elsewhere with the same secret and ticket (facts §4): the token in use ends.
        var current = (await PostAsync("api_component_token", null, Secretful(ticket))).Json.GetProperty("component_access_token").GetString()!;

        var refused = await PostAsync("api_create_preauthcode", previous, new { component_appid = ComponentAppId });
        Assert.Equal(40001, refused.ErrCode);
        Assert.Matches(@"^invalid credential, access_token is invalid or not latest.* rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$", refused.ErrMsg);
        Assert.Equal(0, (await PostAsync("api_create_preauthcode", current, new { component_appid = ComponentAppId })).ErrCode);
    }

    [Fact]
    public async Task A_new_authorizer_token_ends_the_authorizers_previous_one()
    {
        var componentToken = await ComponentTokenAsync();
        await AuthorizeAsync(AuthorizerAppId);
        object body = new { component_appid = ComponentAppId, authorizer_appid = AuthorizerAppId, authorizer_refresh_token = Platform.RefreshTokenOf(AuthorizerAppId) };
        var previous = (await PostAsync("api_authorizer_token", componentToken, body)).Json.GetProperty("authorizer_access_token").GetString();
        Assert.Equal(0, (await _sandbox.GetTicketAsync(previous)).ErrCode);

        var current = (await PostAsync("api_authorizer_token", componentToken, body)).Json.GetProperty("authorizer_access_token").GetString();

        var refused = await _sandbox.GetTicketAsync(previous);
        Assert.Equal(40001, refused.ErrCode);
        Assert.Matches(@" rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$", refused.ErrMsg);
        Assert.Equal(0, (await _sandbox.GetTicketAsync(current)).ErrCode);
    }

    [Fact]
    public async Task Wrong_component_credentials_are_refused()
    {
        var ticket = await PushTicketAsync();

        Assert.Equal(61011, (await PostAsync("api_component_token", null,
            new { component_appid = "wx0000000000000000", component_appsecret = PlatformSandboxDefaults.ComponentAppSecret, component_verify_ticket = ticket })).ErrCode);
        Assert.Equal(40125, (await PostAsync("api_component_token", null,
            new { component_appid = ComponentAppId, component_appsecret = "wrong", component_verify_ticket = ticket })).ErrCode);
        Assert.Equal(47001, (await _sandbox.SendAsync(HttpMethod.Post, "cgi-bin/component/api_component_token", new StringContent("not json"))).ErrCode);
        Assert.Equal(41001, (await PostAsync("api_create_preauthcode", null, new { component_appid = ComponentAppId })).ErrCode);
        Assert.Equal(40001, (await PostAsync("api_create_preauthcode", "not-a-token", new { component_appid = ComponentAppId })).ErrCode);
    }

    [Fact]
    public async Task Authorization_from_pre_auth_code_to_authorizer_token_and_its_jsapi_ticket()
    {
        var componentToken = await ComponentTokenAsync();
        var preAuth = await PostAsync("api_create_preauthcode", componentToken, new { component_appid = ComponentAppId });
        var preAuthCode = preAuth.Json.GetProperty("pre_auth_code").GetString()!;
        Assert.Equal(1800, preAuth.ExpiresIn);

        var authCode = await AuthorizeAsync(AuthorizerAppId, preAuthCode);
        // Single use: the same pre_auth_code again is refused.
        Assert.Equal(HttpStatusCode.BadRequest, (await _sandbox.Http.GetAsync(
            $"_sandbox/authorize?appid={AuthorizerAppId}&pre_auth_code={Uri.EscapeDataString(preAuthCode)}&redirect_uri=https%3A%2F%2Fwx.example.com%2F")).StatusCode);

        var query = await PostAsync("api_query_auth", componentToken, new { component_appid = ComponentAppId, authorization_code = authCode });
        var info = query.Json.GetProperty("authorization_info");
        Assert.Equal(AuthorizerAppId, info.GetProperty("authorizer_appid").GetString());
        Assert.Equal(7200, info.GetProperty("expires_in").GetInt32());
        var refreshToken = info.GetProperty("authorizer_refresh_token").GetString()!;
        Assert.Equal([1, 4, 15], info.GetProperty("func_info").EnumerateArray().Select(f => f.GetProperty("funcscope_category").GetProperty("id").GetInt32()));
        // The code is single use too.
        Assert.Equal(61010, (await PostAsync("api_query_auth", componentToken, new { component_appid = ComponentAppId, authorization_code = authCode })).ErrCode);

        var token = await PostAsync("api_authorizer_token", componentToken,
            new { component_appid = ComponentAppId, authorizer_appid = AuthorizerAppId, authorizer_refresh_token = refreshToken });
        var accessToken = token.Json.GetProperty("authorizer_access_token").GetString();
        Assert.Equal(refreshToken, token.Json.GetProperty("authorizer_refresh_token").GetString());

        var ticket = await _sandbox.GetTicketAsync(accessToken);
        Assert.Equal(0, ticket.ErrCode);
        Assert.True(_sandbox.State.IsTicketValid(AuthorizerAppId, ticket.Ticket!));
    }

    [Fact]
    public async Task A_dead_refresh_token_is_61023_and_the_authorizer_list_has_the_current_one()
    {
        var componentToken = await ComponentTokenAsync();
        await AuthorizeAsync(AuthorizerAppId);
        var stale = Platform.RefreshTokenOf(AuthorizerAppId)!;
        Assert.True(Platform.RotateRefreshToken(AuthorizerAppId));

        var refused = await PostAsync("api_authorizer_token", componentToken,
            new { component_appid = ComponentAppId, authorizer_appid = AuthorizerAppId, authorizer_refresh_token = stale });
        Assert.Equal(61023, refused.ErrCode);
        Assert.Equal(PlatformErrorAction.RecoverRefreshToken, PlatformErrorClassifier.Action(refused.ErrCode));

        var list = await PostAsync("api_get_authorizer_list", componentToken, new { component_appid = ComponentAppId, offset = 0, count = 500 });
        Assert.Equal(1, list.Json.GetProperty("total_count").GetInt32());
        var listed = Assert.Single(list.Json.GetProperty("list").EnumerateArray());
        Assert.Equal(AuthorizerAppId, listed.GetProperty("authorizer_appid").GetString());
        var current = listed.GetProperty("refresh_token").GetString();
        Assert.True(current == Platform.RefreshTokenOf(AuthorizerAppId) && current != stale, "The list does not have the current refresh token.");
        Assert.Equal(_sandbox.Time.GetUtcNow().ToUnixTimeSeconds(), listed.GetProperty("auth_time").GetInt64());
        Assert.Equal(0, (await PostAsync("api_authorizer_token", componentToken,
            new { component_appid = ComponentAppId, authorizer_appid = AuthorizerAppId, authorizer_refresh_token = current })).ErrCode);

        await SwitchAsync(ticketsExpired: false, refreshTokensInvalid: true);
        Assert.Equal(61023, (await PostAsync("api_authorizer_token", componentToken,
            new { component_appid = ComponentAppId, authorizer_appid = AuthorizerAppId, authorizer_refresh_token = current })).ErrCode);
        Assert.Equal(40097, (await PostAsync("api_get_authorizer_list", componentToken, new { component_appid = ComponentAppId, offset = 0, count = 501 })).ErrCode);
    }

    [Fact]
    public async Task An_unauthorized_account_is_61003_and_the_push_names_it()
    {
        Platform.Options.EventUrl = _eventUrl.BaseAddress;
        var componentToken = await ComponentTokenAsync();
        await AuthorizeAsync(AuthorizerAppId);
        var refreshToken = Platform.RefreshTokenOf(AuthorizerAppId);

        (await _sandbox.Http.PostAsync($"sandbox/platform/unauthorize?appid={AuthorizerAppId}", null)).EnsureSuccessStatusCode();

        var reply = await PostAsync("api_authorizer_token", componentToken,
            new { component_appid = ComponentAppId, authorizer_appid = AuthorizerAppId, authorizer_refresh_token = refreshToken });
        Assert.Equal(61003, reply.ErrCode);
        Assert.Equal(PlatformErrorAction.MarkUnauthorized, PlatformErrorClassifier.Action(reply.ErrCode));
        Assert.Null(PlatformPushes.SandboxCrypto.TryDecrypt(PlatformEventXml.ReadEncrypt(_eventUrl.Requests[^1].Body)!, out var message));
        Assert.Equal(AuthorizerAppId, Assert.IsType<UnauthorizedEvent>(PlatformEventXml.ReadEvent(message)).AuthorizerAppId);
    }

    [Fact]
    public async Task Start_push_ticket_takes_the_component_secret()
    {
        var ok = await PostAsync("api_start_push_ticket", null, new { component_appid = ComponentAppId, component_secret = PlatformSandboxDefaults.ComponentAppSecret });
        Assert.Equal((0, "ok"), (ok.ErrCode, ok.ErrMsg));
        Assert.Equal(40125, (await PostAsync("api_start_push_ticket", null, new { component_appid = ComponentAppId, component_secret = "wrong" })).ErrCode);
    }

    [Fact]
    public async Task A_chunked_component_post_is_412_as_WeChats_front_end_answers_it()
    {
        // A stream of unknown length: HttpClient sends it chunked, with no Content-Length.
        var chunked = new StreamContent(new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(Secretful(await PushTicketAsync()))));
        chunked.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "cgi-bin/component/api_component_token") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;

        using var response = await _sandbox.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
    }

    [Theory]
    [InlineData("redirect_uri=https%3A%2F%2Fwx.example.com%2F")]
    [InlineData("appid=wxa1b2c3d4e5f6a7b8")]
    [InlineData("appid=wxa1b2c3d4e5f6a7b8&redirect_uri=%2Frelative")]
    public async Task The_authorization_simulator_says_what_is_missing(string query)
    {
        var reply = await _sandbox.SendAsync(HttpMethod.Get, "_sandbox/authorize?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.True(reply.Json.TryGetProperty("error", out _));
    }

    private static object Secretful(string ticket) =>
        new { component_appid = ComponentAppId, component_appsecret = PlatformSandboxDefaults.ComponentAppSecret, component_verify_ticket = ticket };

    private async Task<string> PushTicketAsync()
    {
        await _sandbox.Server.PlatformPusher.PushVerifyTicketAsync(CancellationToken.None);
        return Platform.LatestVerifyTicket()!;
    }

    private async Task<string> ComponentTokenAsync() =>
        (await PostAsync("api_component_token", null, Secretful(await PushTicketAsync()))).Json.GetProperty("component_access_token").GetString()!;

    /// <returns>The auth_code of the redirect.</returns>
    private async Task<string> AuthorizeAsync(string appId, string? preAuthCode = null)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _sandbox.Server.BaseAddress };
        using var response = await http.GetAsync($"_sandbox/authorize?appid={appId}&redirect_uri=https%3A%2F%2Fwx.example.com%2Fdone"
                                                 + (preAuthCode is null ? "" : $"&pre_auth_code={Uri.EscapeDataString(preAuthCode)}"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal("https://wx.example.com/done", location.GetLeftPart(UriPartial.Path));
        Assert.EndsWith("&expires_in=600", location.Query);
        return Uri.UnescapeDataString(location.Query.Split('&')[0]["?auth_code=".Length..]);
    }

    private async Task SwitchAsync(bool ticketsExpired, bool refreshTokensInvalid)
    {
        var body = JsonSerializer.Serialize(new { ticketsExpired, refreshTokensInvalid });
        var reply = await _sandbox.SendAsync(HttpMethod.Put, "sandbox/platform/switches", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    private Task<WeChatReply> PostAsync(string call, string? componentToken, object body)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body);
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new("application/json");
        return _sandbox.SendAsync(HttpMethod.Post,
            $"cgi-bin/component/{call}" + (componentToken is null ? "" : $"?component_access_token={Uri.EscapeDataString(componentToken)}"), content);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for the sandbox to push.");
            await Task.Delay(20);
        }
    }
}
