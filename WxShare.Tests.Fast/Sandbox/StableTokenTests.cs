using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Sandbox;

public sealed class StableTokenTests
{
    [Fact]
    public async Task Repeated_calls_return_the_same_token_with_decreasing_expires_in()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var first = await sandbox.PostStableTokenAsync();
        sandbox.Time.Advance(TimeSpan.FromSeconds(1000));
        var second = await sandbox.PostStableTokenAsync();

        Assert.Equal(7200, first.ExpiresIn);
        Assert.Equal(first.AccessToken, second.AccessToken);
        Assert.Equal(6200, second.ExpiresIn);
    }

    [Fact]
    public async Task In_the_last_300_seconds_a_new_token_is_issued_and_the_old_one_works_until_its_expiry()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var old = (await sandbox.PostStableTokenAsync()).AccessToken!;

        sandbox.Time.Advance(TimeSpan.FromSeconds(6899));
        var stillOld = await sandbox.PostStableTokenAsync();
        Assert.Equal(old, stillOld.AccessToken);
        Assert.Equal(301, stillOld.ExpiresIn);

        sandbox.Time.Advance(TimeSpan.FromSeconds(2));
        var renewed = await sandbox.PostStableTokenAsync();
        Assert.NotEqual(old, renewed.AccessToken);
        Assert.Equal(7200, renewed.ExpiresIn);
        Assert.Equal(0, (await sandbox.GetTicketAsync(old)).ErrCode);

        sandbox.Time.Advance(TimeSpan.FromSeconds(299));
        Assert.Equal(42001, (await sandbox.GetTicketAsync(old)).ErrCode);
        Assert.Equal(0, (await sandbox.GetTicketAsync(renewed.AccessToken)).ErrCode);
        Assert.Equal(renewed.AccessToken, (await sandbox.PostStableTokenAsync()).AccessToken);
    }

    [Fact]
    public async Task Force_refresh_issues_a_new_token_and_invalidates_the_old_one_at_once()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var old = (await sandbox.PostStableTokenAsync()).AccessToken!;

        var refreshed = await sandbox.PostStableTokenAsync(forceRefresh: true);

        Assert.NotEqual(old, refreshed.AccessToken);
        Assert.Equal(7200, refreshed.ExpiresIn);
        Assert.Equal(40001, (await sandbox.GetTicketAsync(old)).ErrCode);
        Assert.Equal(0, (await sandbox.GetTicketAsync(refreshed.AccessToken)).ErrCode);
        Assert.Equal(refreshed.AccessToken, (await sandbox.PostStableTokenAsync()).AccessToken);
    }

    [Fact]
    public async Task Force_refresh_also_invalidates_a_token_replaced_in_its_last_minutes()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var oldest = (await sandbox.PostStableTokenAsync()).AccessToken!;
        sandbox.Time.Advance(TimeSpan.FromSeconds(7000));
        var renewed = (await sandbox.PostStableTokenAsync()).AccessToken!;
        Assert.True(sandbox.State.IsAccessTokenValid(SandboxDefaults.AppId, oldest));

        await sandbox.PostStableTokenAsync(forceRefresh: true);

        Assert.False(sandbox.State.IsAccessTokenValid(SandboxDefaults.AppId, oldest));
        Assert.False(sandbox.State.IsAccessTokenValid(SandboxDefaults.AppId, renewed));
    }

    [Fact]
    public async Task Force_refreshes_less_than_30_seconds_apart_give_45011()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var first = (await sandbox.PostStableTokenAsync(forceRefresh: true)).AccessToken!;

        sandbox.Time.Advance(TimeSpan.FromSeconds(29));
        var tooSoon = await sandbox.PostStableTokenAsync(forceRefresh: true);
        Assert.Equal(45011, tooSoon.ErrCode);
        Assert.StartsWith("api minute-quota reach limit, must slower, retry next minute rid: ", tooSoon.ErrMsg);
        Assert.True(sandbox.State.IsAccessTokenValid(SandboxDefaults.AppId, first));

        sandbox.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.NotNull((await sandbox.PostStableTokenAsync(forceRefresh: true)).AccessToken);
    }

    [Fact]
    public async Task More_than_20_force_refreshes_a_day_give_45009_until_the_next_beijing_day()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        for (var i = 0; i < 20; i++)
        {
            Assert.NotNull((await sandbox.PostStableTokenAsync(forceRefresh: true)).AccessToken);
            sandbox.Time.Advance(TimeSpan.FromSeconds(31));
        }

        Assert.Equal(45009, (await sandbox.PostStableTokenAsync(forceRefresh: true)).ErrCode);
        Assert.NotNull((await sandbox.PostStableTokenAsync()).AccessToken);

        sandbox.Time.Advance(TimeSpan.FromDays(1));
        Assert.NotNull((await sandbox.PostStableTokenAsync(forceRefresh: true)).AccessToken);
    }

    [Fact]
    public async Task Stable_and_classic_tokens_are_independent()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var stable = (await sandbox.PostStableTokenAsync()).AccessToken!;
        var classic = await sandbox.NewClassicTokenAsync();

        await sandbox.NewClassicTokenAsync();
        sandbox.Time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(0, (await sandbox.GetTicketAsync(stable)).ErrCode);

        var newClassic = await sandbox.NewClassicTokenAsync();
        await sandbox.PostStableTokenAsync(forceRefresh: true);
        Assert.Equal(0, (await sandbox.GetTicketAsync(newClassic)).ErrCode);
        Assert.Equal(40001, (await sandbox.GetTicketAsync(classic)).ErrCode);
    }

    [Theory]
    [InlineData("{\"grant_type\":\"client_credential\",\"appid\":\"wx5a4d5b0c1e2f3a4b\"", 47001)]
    [InlineData("", 47001)]
    [InlineData("{\"grant_type\":\"client_credential\",\"appid\":\"wx5a4d5b0c1e2f3a4b\",\"secret\":\"sandbox0secret0not0real0000000000\",\"force_refresh\":\"yes\"}", 47001)]
    [InlineData("{\"grant_type\":\"client_credential\",\"appid\":\"wx0000000000000000\",\"secret\":\"sandbox0secret0not0real0000000000\"}", 40013)]
    [InlineData("{\"grant_type\":\"client_credential\",\"appid\":\"wx5a4d5b0c1e2f3a4b\",\"secret\":\"nope\"}", 40125)]
    [InlineData("{\"grant_type\":\"authorization_code\",\"appid\":\"wx5a4d5b0c1e2f3a4b\",\"secret\":\"sandbox0secret0not0real0000000000\"}", 40002)]
    public async Task Bad_stable_token_requests_give_wechat_errors(string body, int errcode)
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var reply = await sandbox.PostStableTokenRawAsync(body);

        Assert.Equal(errcode, reply.ErrCode);
        Assert.Null(reply.AccessToken);
    }

    [Fact]
    public async Task Stable_token_has_its_own_daily_quota()
    {
        await using var sandbox = await SandboxHarness.StartAsync(new SandboxOptions { TokenDailyQuota = 1, StableTokenDailyQuota = 2 });

        await sandbox.NewClassicTokenAsync();
        Assert.Equal(45009, (await sandbox.GetTokenAsync()).ErrCode);
        Assert.NotNull((await sandbox.PostStableTokenAsync()).AccessToken);
        Assert.NotNull((await sandbox.PostStableTokenAsync()).AccessToken);
        Assert.Equal(45009, (await sandbox.PostStableTokenAsync()).ErrCode);
    }
}
