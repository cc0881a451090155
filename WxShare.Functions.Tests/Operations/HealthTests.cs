using WxShare.Functions.Tests.Infrastructure;
using WxShare.Functions.Tests.Refresh;
using WxShare.Operations;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Operations;

/// <summary>GET /api/health through its function class: status rules, the fields, 200/503, and no credential in the body.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class HealthTests(AzuriteFixture azurite)
{
    private static Task<OperatorAnswer> HealthAsync(WxShareTestContext context) =>
        OperatorCalls.HealthAsync(context.Services);

    private static async Task AssertNoCredentialInAsync(WxShareTestContext context, string body)
    {
        var stored = await context.StoredAsync();
        Assert.NotNull(stored.AccessToken);
        Assert.DoesNotContain(stored.AccessToken.Value, body);
        Assert.DoesNotContain(stored.JsapiTicket!.Value, body);
        Assert.DoesNotContain(SandboxDefaults.AppSecret, body);
    }

    [Fact]
    public async Task Healthy_after_a_refresh_reports_times_and_remaining_life_without_any_credential()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite);
        await context.TickAsync();
        context.Time.Advance(TimeSpan.FromMinutes(10));

        var answer = await HealthAsync(context);

        Assert.Equal(200, answer.Status);
        Assert.Equal("no-store", answer.Headers.CacheControl.ToString());
        Assert.Equal(HealthStatus.Healthy, answer.Json.GetProperty("status").GetString());
        var account = Assert.Single(answer.Json.GetProperty("accounts").EnumerateArray());
        Assert.Equal(SandboxDefaults.AppId, account.GetProperty("appId").GetString());
        Assert.Equal("default", account.GetProperty("name").GetString());
        Assert.Equal(HealthStatus.Healthy, account.GetProperty("status").GetString());
        var ticket = account.GetProperty("tickets").GetProperty("jsapi");
        Assert.Equal(7200 - 600, ticket.GetProperty("remainingSeconds").GetInt64());
        Assert.Equal(WxShareTestContext.Start, ticket.GetProperty("fetchedAt").GetDateTimeOffset());
        Assert.Equal(WxShareTestContext.Start.AddSeconds(7200), account.GetProperty("accessToken").GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal("succeeded", account.GetProperty("lastRefresh").GetProperty("result").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, account.GetProperty("lastError").ValueKind);
        await AssertNoCredentialInAsync(context, answer.Body);
    }

    [Fact]
    public async Task An_account_with_card_tickets_reports_its_wx_card_ticket_beside_jsapi_and_others_only_jsapi()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite, s => s["WeChat:CardTicket"] = "true");
        await context.TickAsync();
        context.Time.Advance(TimeSpan.FromMinutes(10));

        var answer = await HealthAsync(context);

        Assert.Equal(200, answer.Status);
        var tickets = answer.Json.GetProperty("accounts")[0].GetProperty("tickets");
        Assert.Equal(7200 - 600, tickets.GetProperty("wx_card").GetProperty("remainingSeconds").GetInt64());
        Assert.Equal(7200 - 600, tickets.GetProperty("jsapi").GetProperty("remainingSeconds").GetInt64());
        Assert.DoesNotContain((await context.StoredAsync()).CardTicket!.Value, answer.Body);
        await AssertNoCredentialInAsync(context, answer.Body);

        await using var plain = await WxShareTestContext.StartAsync(azurite);
        await plain.TickAsync();
        var plainTickets = (await HealthAsync(plain)).Json.GetProperty("accounts")[0].GetProperty("tickets");
        Assert.False(plainTickets.TryGetProperty("wx_card", out _));
    }

    [Fact]
    public async Task A_failing_refresh_is_degraded_while_the_ticket_has_over_15_minutes_then_unhealthy_with_503()
    {
        // Classic: its token is due by age with the ticket, so the token call is the one that fails.
        await using var context = await WxShareTestContext.StartAsync(azurite, s => s["WeChat:TokenApi"] = "classic");
        await context.TickAsync();
        context.Sandbox.State.SetFault(new SandboxFault(SandboxFaultKind.ErrorCode, SandboxEndpoint.Token, ErrorCode: 40164));
        context.Time.Advance(TimeSpan.FromMinutes(100)); // due by age; the ticket has 20 minutes left
        await context.TickAsync();

        var degraded = await HealthAsync(context);
        Assert.Equal(200, degraded.Status);
        Assert.Equal(HealthStatus.Degraded, degraded.Json.GetProperty("status").GetString());
        var account = degraded.Json.GetProperty("accounts")[0];
        Assert.Equal(40164, account.GetProperty("lastError").GetProperty("errcode").GetInt32());
        Assert.Equal("AccessToken", account.GetProperty("lastError").GetProperty("call").GetString());
        Assert.Equal("failed", account.GetProperty("lastRefresh").GetProperty("result").GetString());
        Assert.Equal(context.Time.GetUtcNow().AddMinutes(30), account.GetProperty("retryNotBefore").GetDateTimeOffset());
        Assert.Contains("40164", account.GetProperty("reason").GetString());

        context.Time.Advance(TimeSpan.FromMinutes(6)); // 14 minutes left, still failing (backing off)
        var unhealthy = await HealthAsync(context);
        Assert.Equal(503, unhealthy.Status);
        Assert.Equal(HealthStatus.Unhealthy, unhealthy.Json.GetProperty("status").GetString());
        await AssertNoCredentialInAsync(context, degraded.Body + unhealthy.Body);
    }

    [Fact]
    public async Task Without_a_stored_ticket_it_is_unhealthy_with_503()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite);

        var answer = await HealthAsync(context);

        Assert.Equal(503, answer.Status);
        var account = answer.Json.GetProperty("accounts")[0];
        Assert.Equal(HealthStatus.Unhealthy, account.GetProperty("status").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, account.GetProperty("tickets").GetProperty("jsapi").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, account.GetProperty("lastRefresh").ValueKind);
    }

    [Fact]
    public async Task Each_account_has_its_own_status_and_the_worst_one_decides_the_overall()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite, s =>
        {
            s["Accounts:shop:AppId"] = "wx00000000000000shop";
            s["Accounts:shop:AppSecret"] = "not-the-shop-secret";
            s["Accounts:shop:AllowedDomains"] = "shop.example.cn";
        });
        await context.Get<WxShare.Refresh.CredentialRefresher>().RefreshAllAsync(CancellationToken.None);

        var answer = await HealthAsync(context);

        Assert.Equal(503, answer.Status);
        Assert.Equal(HealthStatus.Unhealthy, answer.Json.GetProperty("status").GetString());
        var statuses = answer.Json.GetProperty("accounts").EnumerateArray()
            .ToDictionary(a => a.GetProperty("name").GetString()!, a => a.GetProperty("status").GetString());
        Assert.Equal(HealthStatus.Healthy, statuses["default"]);
        Assert.Equal(HealthStatus.Unhealthy, statuses["shop"]);
        Assert.DoesNotContain("not-the-shop-secret", answer.Body);
        await AssertNoCredentialInAsync(context, answer.Body);
    }
}
