using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Sandbox;

public sealed class CallCountAndAdminTests
{
    [Fact]
    public async Task Server_listens_on_loopback_at_a_free_port()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        Assert.Equal("127.0.0.1", sandbox.Server.BaseAddress.Host);
        Assert.NotEqual(0, sandbox.Server.BaseAddress.Port);
        Assert.EndsWith("/", sandbox.Server.BaseAddress.AbsoluteUri);
    }

    [Fact]
    public async Task Every_served_call_is_counted_including_failed_and_faulted_ones()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var token = await sandbox.NewClassicTokenAsync();
        await sandbox.GetTokenAsync(secret: "wrong");
        await sandbox.PostStableTokenRawAsync("{not json");
        await sandbox.GetTicketAsync(token);
        sandbox.State.SetFault(new SandboxFault(SandboxFaultKind.ServerError, SandboxEndpoint.Ticket));
        await sandbox.GetTicketAsync(token);
        await sandbox.GetTicketAsync(token);

        Assert.Equal(new SandboxCallCounts(Token: 2, StableToken: 1, Ticket: 3), sandbox.State.Calls);
        Assert.Equal(6, sandbox.State.Calls.Total);

        sandbox.State.ResetCalls();
        Assert.Equal(new SandboxCallCounts(0, 0, 0), sandbox.State.Calls);
    }

    [Fact]
    public async Task Admin_calls_endpoint_reports_and_resets_counts_without_counting_itself()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.GetTokenAsync();
        await sandbox.PostStableTokenAsync();
        await sandbox.PostStableTokenAsync();

        var counts = await sandbox.Http.GetFromJsonAsync<JsonElement>("sandbox/calls");
        Assert.Equal(1, counts.GetProperty("token").GetInt32());
        Assert.Equal(2, counts.GetProperty("stableToken").GetInt32());
        Assert.Equal(0, counts.GetProperty("ticket").GetInt32());
        Assert.Equal(3, counts.GetProperty("total").GetInt32());

        using var reset = await sandbox.Http.PostAsync("sandbox/calls/reset", null);
        Assert.True(reset.IsSuccessStatusCode);
        Assert.Equal(0, sandbox.State.Calls.Total);
    }

    [Fact]
    public async Task Admin_fault_endpoint_sets_shows_and_clears_a_fault()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var body = """{"kind":"errorCode","endpoint":"token","errorCode":45009,"remainingCalls":3}""";

        using var put = await sandbox.Http.PutAsync("sandbox/fault", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(new SandboxFault(SandboxFaultKind.ErrorCode, SandboxEndpoint.Token, ErrorCode: 45009, RemainingCalls: 3), sandbox.State.CurrentFault);
        Assert.Equal(45009, (await sandbox.GetTokenAsync()).ErrCode);

        var shown = await sandbox.Http.GetFromJsonAsync<JsonElement>("sandbox/fault");
        Assert.Equal("ErrorCode", shown.GetProperty("kind").GetString());
        Assert.Equal(2, shown.GetProperty("remainingCalls").GetInt32());

        using var delete = await sandbox.Http.DeleteAsync("sandbox/fault");
        Assert.True(delete.IsSuccessStatusCode);
        Assert.Null(sandbox.State.CurrentFault);
        Assert.NotNull((await sandbox.GetTokenAsync()).AccessToken);
    }

    [Theory]
    [InlineData("""{"kind":"sideways"}""")]
    [InlineData("""{"kind":"errorCode"}""")]
    [InlineData("""{"kind":"busy","remainingCalls":-2}""")]
    [InlineData("not json")]
    public async Task Admin_fault_endpoint_rejects_bad_faults_with_400(string body)
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        using var put = await sandbox.Http.PutAsync("sandbox/fault", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Contains("error", await put.Content.ReadAsStringAsync());
        Assert.Null(sandbox.State.CurrentFault);
    }

    [Fact]
    public async Task Admin_tickets_endpoint_returns_the_current_ticket_per_type_or_404()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        using var before = await sandbox.Http.GetAsync($"sandbox/tickets/{SandboxDefaults.AppId}");
        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        Assert.Equal("application/json", before.Content.Headers.ContentType?.MediaType);

        var token = await sandbox.NewClassicTokenAsync();
        var jsapi = (await sandbox.GetTicketAsync(token)).Ticket;
        var card = (await sandbox.GetTicketAsync(token, "wx_card")).Ticket;

        var current = await sandbox.Http.GetFromJsonAsync<JsonElement>($"sandbox/tickets/{SandboxDefaults.AppId}?type=jsapi");
        var currentCard = await sandbox.Http.GetFromJsonAsync<JsonElement>($"sandbox/tickets/{SandboxDefaults.AppId}?type=wx_card");
        var byDefault = await sandbox.Http.GetFromJsonAsync<JsonElement>($"sandbox/tickets/{SandboxDefaults.AppId}");
        Assert.Equal(jsapi, current.GetProperty("ticket").GetString());
        Assert.Equal(card, currentCard.GetProperty("ticket").GetString());
        Assert.Equal(jsapi, byDefault.GetProperty("ticket").GetString());

        sandbox.Time.Advance(TimeSpan.FromSeconds(7200));
        using var expired = await sandbox.Http.GetAsync($"sandbox/tickets/{SandboxDefaults.AppId}");
        Assert.Equal(HttpStatusCode.NotFound, expired.StatusCode);
    }
}
