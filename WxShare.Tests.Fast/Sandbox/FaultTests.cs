using System.Diagnostics;
using System.Net;
using System.Text.Json;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Sandbox;

public sealed class FaultTests
{
    [Fact]
    public async Task Delay_waits_in_real_time_under_a_fake_clock_then_answers_normally()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        sandbox.State.SetFault(new SandboxFault(SandboxFaultKind.Delay, DelayMilliseconds: 300));

        var stopwatch = Stopwatch.StartNew();
        var reply = await sandbox.GetTokenAsync();

        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(250), $"answered after {stopwatch.ElapsedMilliseconds} ms");
        Assert.NotNull(reply.AccessToken);
    }

    [Fact]
    public async Task Busy_answers_system_error_with_http_200_and_issues_nothing()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var token = await sandbox.NewClassicTokenAsync();
        sandbox.State.SetFault(new SandboxFault(SandboxFaultKind.Busy));

        var ticket = await sandbox.GetTicketAsync(token);
        var newToken = await sandbox.GetTokenAsync();

        Assert.Equal(HttpStatusCode.OK, ticket.Status);
        Assert.Equal("application/json", ticket.MediaType);
        Assert.Equal(-1, ticket.ErrCode);
        Assert.Equal("system error", ticket.ErrMsg);
        Assert.Equal(-1, newToken.ErrCode);
        Assert.Null(sandbox.State.CurrentTicket(SandboxDefaults.AppId));

        // Had the faulted token call issued a token, this one would now be past its grace period.
        sandbox.Time.Advance(TimeSpan.FromMinutes(6));
        sandbox.State.ClearFault();
        Assert.Equal(0, (await sandbox.GetTicketAsync(token)).ErrCode);
    }

    [Fact]
    public async Task ServerError_answers_503_with_html()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        sandbox.State.SetFault(new SandboxFault(SandboxFaultKind.ServerError));

        var reply = await sandbox.PostStableTokenAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, reply.Status);
        Assert.Equal("text/html", reply.MediaType);
        Assert.Contains("503", reply.Body);
    }

    [Theory]
    [InlineData(SandboxEndpoint.Token)]
    [InlineData(SandboxEndpoint.StableToken)]
    [InlineData(SandboxEndpoint.Ticket)]
    public async Task MalformedBody_answers_truncated_json_with_http_200(SandboxEndpoint endpoint)
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var token = await sandbox.NewClassicTokenAsync();
        sandbox.State.SetFault(new SandboxFault(SandboxFaultKind.MalformedBody, endpoint));

        var reply = endpoint switch
        {
            SandboxEndpoint.Token => await sandbox.GetTokenAsync(),
            SandboxEndpoint.StableToken => await sandbox.PostStableTokenAsync(),
            _ => await sandbox.GetTicketAsync(token),
        };

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("application/json", reply.MediaType);
        Assert.StartsWith("{\"", reply.Body);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(reply.Body));
    }

    [Fact]
    public async Task ErrorCode_answers_the_given_errcode_with_wechats_errmsg()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        sandbox.State.SetFault(new SandboxFault(SandboxFaultKind.ErrorCode, ErrorCode: 40164));

        var reply = await sandbox.GetTokenAsync();

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(40164, reply.ErrCode);
        Assert.StartsWith("invalid ip", reply.ErrMsg);
        Assert.Contains(" rid: ", reply.ErrMsg);
    }

    [Fact]
    public async Task Fault_applies_only_to_its_endpoint()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        sandbox.State.SetFault(new SandboxFault(SandboxFaultKind.Busy, SandboxEndpoint.Ticket));

        var token = await sandbox.GetTokenAsync();
        var stable = await sandbox.PostStableTokenAsync();
        var ticket = await sandbox.GetTicketAsync(token.AccessToken);

        Assert.NotNull(token.AccessToken);
        Assert.NotNull(stable.AccessToken);
        Assert.Equal(-1, ticket.ErrCode);
    }

    [Fact]
    public async Task Fault_with_RemainingCalls_applies_to_that_many_matching_calls_then_clears_itself()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        sandbox.State.SetFault(new SandboxFault(SandboxFaultKind.Busy, SandboxEndpoint.Token, RemainingCalls: 2));

        Assert.Equal(-1, (await sandbox.GetTokenAsync()).ErrCode);
        Assert.NotNull((await sandbox.PostStableTokenAsync()).AccessToken);
        Assert.Equal(1, sandbox.State.CurrentFault?.RemainingCalls);
        Assert.Equal(-1, (await sandbox.GetTokenAsync()).ErrCode);
        Assert.Null(sandbox.State.CurrentFault);
        Assert.NotNull((await sandbox.GetTokenAsync()).AccessToken);
    }

    [Fact]
    public async Task SetFault_replaces_the_current_fault_and_ClearFault_restores_normal_answers()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        sandbox.State.SetFault(new SandboxFault(SandboxFaultKind.Busy));
        sandbox.State.SetFault(new SandboxFault(SandboxFaultKind.ErrorCode, ErrorCode: 45009));

        Assert.Equal(45009, (await sandbox.GetTokenAsync()).ErrCode);

        sandbox.State.ClearFault();
        Assert.NotNull((await sandbox.GetTokenAsync()).AccessToken);
    }

    [Fact]
    public async Task Inconsistent_faults_are_rejected()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        Assert.Throws<ArgumentException>(() => sandbox.State.SetFault(new SandboxFault(SandboxFaultKind.ErrorCode)));
        Assert.Throws<ArgumentException>(() => sandbox.State.SetFault(new SandboxFault(SandboxFaultKind.Busy, RemainingCalls: 0)));
        Assert.Throws<ArgumentException>(() => sandbox.State.SetFault(new SandboxFault(SandboxFaultKind.Delay, DelayMilliseconds: -1)));
        Assert.Null(sandbox.State.CurrentFault);
    }
}
