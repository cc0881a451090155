using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Sandbox;

public sealed class DailyQuotaTests
{
    [Fact]
    public async Task Token_quota_gives_45009_and_resets_at_beijing_midnight()
    {
        var at2330Beijing = new DateTimeOffset(2025, 6, 1, 15, 30, 0, TimeSpan.Zero);
        await using var sandbox = await SandboxHarness.StartAsync(new SandboxOptions { TokenDailyQuota = 3 }, at2330Beijing);
        for (var i = 0; i < 3; i++)
            await sandbox.NewClassicTokenAsync();

        var exhausted = await sandbox.GetTokenAsync();
        Assert.Equal(45009, exhausted.ErrCode);
        Assert.StartsWith("reach max api daily quota limit", exhausted.ErrMsg);

        sandbox.Time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(45009, (await sandbox.GetTokenAsync()).ErrCode);

        sandbox.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.NotNull((await sandbox.GetTokenAsync()).AccessToken);
    }

    [Fact]
    public async Task Quota_does_not_reset_at_utc_midnight()
    {
        var at2330Utc = new DateTimeOffset(2025, 6, 1, 23, 30, 0, TimeSpan.Zero);
        await using var sandbox = await SandboxHarness.StartAsync(new SandboxOptions { TokenDailyQuota = 1 }, at2330Utc);
        await sandbox.NewClassicTokenAsync();

        sandbox.Time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(45009, (await sandbox.GetTokenAsync()).ErrCode);
    }

    [Fact]
    public async Task Ticket_quota_gives_45009_until_the_next_day()
    {
        await using var sandbox = await SandboxHarness.StartAsync(new SandboxOptions { TicketDailyQuota = 2 });
        var token = (await sandbox.PostStableTokenAsync()).AccessToken;
        await sandbox.GetTicketAsync(token);
        var last = (await sandbox.GetTicketAsync(token, "wx_card")).Ticket;

        Assert.Equal(45009, (await sandbox.GetTicketAsync(token)).ErrCode);
        Assert.NotNull(last);

        sandbox.Time.Advance(TimeSpan.FromDays(1));
        token = (await sandbox.PostStableTokenAsync()).AccessToken;
        Assert.NotNull((await sandbox.GetTicketAsync(token)).Ticket);
    }

    [Fact]
    public async Task Quotas_are_per_appid()
    {
        var options = new SandboxOptions
        {
            TokenDailyQuota = 1,
            Accounts =
            [
                new() { AppId = SandboxDefaults.AppId, AppSecret = SandboxDefaults.AppSecret },
                new() { AppId = "wx1111111111111111", AppSecret = "second0secret" },
            ],
        };
        await using var sandbox = await SandboxHarness.StartAsync(options);
        await sandbox.NewClassicTokenAsync();

        Assert.Equal(45009, (await sandbox.GetTokenAsync()).ErrCode);
        Assert.NotNull((await sandbox.GetTokenAsync("wx1111111111111111", "second0secret")).AccessToken);
    }
}
