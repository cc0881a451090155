using System.Text.RegularExpressions;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Sandbox;

public sealed class TicketTests
{
    [Fact]
    public async Task Jsapi_and_wx_card_tickets_differ_and_are_tracked_per_type()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var token = await sandbox.NewClassicTokenAsync();

        var jsapi = await sandbox.GetTicketAsync(token, "jsapi");
        var card = await sandbox.GetTicketAsync(token, "wx_card");

        Assert.Equal(0, jsapi.ErrCode);
        Assert.Equal("ok", jsapi.ErrMsg);
        Assert.Equal(7200, jsapi.ExpiresIn);
        Assert.Matches(new Regex("^[A-Za-z0-9_-]{80,100}$"), jsapi.Ticket!);
        Assert.NotEqual(jsapi.Ticket, card.Ticket);
        Assert.Equal(jsapi.Ticket, sandbox.State.CurrentTicket(SandboxDefaults.AppId));
        Assert.Equal(card.Ticket, sandbox.State.CurrentTicket(SandboxDefaults.AppId, "wx_card"));
        Assert.True(sandbox.State.IsTicketValid(SandboxDefaults.AppId, jsapi.Ticket!));
        Assert.False(sandbox.State.IsTicketValid(SandboxDefaults.AppId, jsapi.Ticket!, "wx_card"));
        Assert.False(sandbox.State.IsTicketValid(SandboxDefaults.AppId, card.Ticket!));
    }

    [Fact]
    public async Task Each_call_issues_a_new_ticket_and_older_ones_stay_valid_until_their_own_expiry()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var token = (await sandbox.PostStableTokenAsync()).AccessToken;
        var older = (await sandbox.GetTicketAsync(token)).Ticket!;
        sandbox.Time.Advance(TimeSpan.FromSeconds(100));
        var newer = (await sandbox.GetTicketAsync(token)).Ticket!;

        Assert.NotEqual(older, newer);
        Assert.Equal(newer, sandbox.State.CurrentTicket(SandboxDefaults.AppId));
        Assert.True(sandbox.State.IsTicketValid(SandboxDefaults.AppId, older));

        sandbox.Time.Advance(TimeSpan.FromSeconds(7100));
        Assert.False(sandbox.State.IsTicketValid(SandboxDefaults.AppId, older));
        Assert.True(sandbox.State.IsTicketValid(SandboxDefaults.AppId, newer));
        Assert.Equal(newer, sandbox.State.CurrentTicket(SandboxDefaults.AppId));

        sandbox.Time.Advance(TimeSpan.FromSeconds(100));
        Assert.Null(sandbox.State.CurrentTicket(SandboxDefaults.AppId));
    }

    [Theory]
    [InlineData("wx_card_x")]
    [InlineData("JSAPI")]
    [InlineData(null)]
    public async Task Other_ticket_types_give_40097(string? type)
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var token = await sandbox.NewClassicTokenAsync();

        var reply = await sandbox.GetTicketAsync(token, type);

        Assert.Equal(40097, reply.ErrCode);
        Assert.StartsWith("invalid args", reply.ErrMsg);
        Assert.Null(sandbox.State.CurrentTicket(SandboxDefaults.AppId));
    }

    [Fact]
    public async Task Missing_token_gives_41001_and_unknown_token_gives_40001()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var missing = await sandbox.GetTicketAsync(null);
        var unknown = await sandbox.GetTicketAsync("not-a-token-the-sandbox-issued");

        Assert.Equal(41001, missing.ErrCode);
        Assert.StartsWith("access_token missing", missing.ErrMsg);
        Assert.Equal(40001, unknown.ErrCode);
    }
}
