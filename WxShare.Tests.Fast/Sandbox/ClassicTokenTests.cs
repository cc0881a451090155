using System.Net.Http.Json;
using System.Net;
using System.Text.RegularExpressions;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Sandbox;

public sealed class ClassicTokenTests
{
    [Fact]
    public async Task Token_with_valid_credentials_issues_a_new_wechat_shaped_token_each_call()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var first = await sandbox.GetTokenAsync();
        var second = await sandbox.GetTokenAsync();

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal("application/json", first.MediaType);
        Assert.Equal(7200, first.ExpiresIn);
        Assert.Matches(new Regex("^[A-Za-z0-9_-]{100,512}$"), first.AccessToken!);
        Assert.NotEqual(first.AccessToken, second.AccessToken);
        Assert.True(sandbox.State.IsAccessTokenValid(SandboxDefaults.AppId, first.AccessToken!));
        Assert.True(sandbox.State.IsAccessTokenValid(SandboxDefaults.AppId, second.AccessToken!));
        Assert.False(sandbox.State.IsAccessTokenValid("wx0000000000000000", second.AccessToken!));
    }

    [Fact]
    public async Task Replies_parse_with_system_net_http_json_despite_wechats_encoding_parameter()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var reply = await sandbox.Http.GetFromJsonAsync<System.Text.Json.JsonElement>(
            $"cgi-bin/token?grant_type=client_credential&appid={SandboxDefaults.AppId}&secret={SandboxDefaults.AppSecret}");

        Assert.Equal(7200, reply.GetProperty("expires_in").GetInt32());
    }

    [Theory]
    [InlineData("client_credential", "wx0000000000000000", SandboxDefaults.AppSecret, 40013, "invalid appid")]
    [InlineData("client_credential", SandboxDefaults.AppId, "wrong0secret", 40125, "invalid appsecret")]
    [InlineData("password", SandboxDefaults.AppId, SandboxDefaults.AppSecret, 40002, "invalid grant_type")]
    [InlineData("client_credential", "", SandboxDefaults.AppSecret, 41002, "appid missing")]
    [InlineData("client_credential", SandboxDefaults.AppId, "", 41004, "appsecret missing")]
    public async Task Token_with_bad_request_returns_wechat_error_with_http_200(string grantType, string appId, string secret, int errcode, string errmsg)
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var reply = await sandbox.GetTokenAsync(appId, secret, grantType);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        // The sandbox labels errors answering a GET text/plain, as WeChat labels some: clients parse the body anyway.
        Assert.Equal("text/plain", reply.MediaType);
        Assert.Equal(errcode, reply.ErrCode);
        Assert.Matches(new Regex($"^{Regex.Escape(errmsg)} rid: [0-9a-f]{{8}}-[0-9a-f]{{8}}-[0-9a-f]{{8}}$"), reply.ErrMsg!);
        Assert.Null(reply.AccessToken);
    }

    [Fact]
    public async Task Previous_token_works_for_five_minutes_after_a_new_one_then_gives_40001()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var previous = await sandbox.NewClassicTokenAsync();
        sandbox.Time.Advance(TimeSpan.FromMinutes(10));
        var latest = await sandbox.NewClassicTokenAsync();

        sandbox.Time.Advance(TimeSpan.FromSeconds(4 * 60 + 59));
        Assert.Equal(0, (await sandbox.GetTicketAsync(previous)).ErrCode);

        sandbox.Time.Advance(TimeSpan.FromSeconds(2));
        var rejected = await sandbox.GetTicketAsync(previous);
        Assert.Equal(40001, rejected.ErrCode);
        Assert.StartsWith("invalid credential, access_token is invalid or not latest", rejected.ErrMsg);
        Assert.False(sandbox.State.IsAccessTokenValid(SandboxDefaults.AppId, previous));
        Assert.Equal(0, (await sandbox.GetTicketAsync(latest)).ErrCode);
    }

    [Fact]
    public async Task Token_gives_42001_once_expired()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var token = await sandbox.NewClassicTokenAsync();

        sandbox.Time.Advance(TimeSpan.FromSeconds(7199));
        Assert.Equal(0, (await sandbox.GetTicketAsync(token)).ErrCode);

        sandbox.Time.Advance(TimeSpan.FromSeconds(1));
        var expired = await sandbox.GetTicketAsync(token);
        Assert.Equal(42001, expired.ErrCode);
        Assert.StartsWith("access_token expired", expired.ErrMsg);
    }

    [Fact]
    public async Task Grace_period_never_extends_a_token_past_its_own_expiry()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var previous = await sandbox.NewClassicTokenAsync();
        sandbox.Time.Advance(TimeSpan.FromSeconds(7100));
        await sandbox.NewClassicTokenAsync();

        sandbox.Time.Advance(TimeSpan.FromSeconds(101));

        Assert.Equal(42001, (await sandbox.GetTicketAsync(previous)).ErrCode);
    }

    [Fact]
    public async Task Grace_period_is_configurable()
    {
        await using var sandbox = await SandboxHarness.StartAsync(new SandboxOptions { PreviousTokenGracePeriod = TimeSpan.Zero });
        var previous = await sandbox.NewClassicTokenAsync();

        await sandbox.NewClassicTokenAsync();

        Assert.Equal(40001, (await sandbox.GetTicketAsync(previous)).ErrCode);
    }

    [Fact]
    public async Task Configured_accounts_replace_the_default_one()
    {
        var options = new SandboxOptions { Accounts = [new() { AppId = "wx1111111111111111", AppSecret = "other0secret" }] };
        await using var sandbox = await SandboxHarness.StartAsync(options);

        Assert.NotNull((await sandbox.GetTokenAsync("wx1111111111111111", "other0secret")).AccessToken);
        Assert.Equal(40013, (await sandbox.GetTokenAsync()).ErrCode);
    }
}
