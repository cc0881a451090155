using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WxShare.Errors;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Functions.Tests.Refresh;
using WxShare.Functions.Tests.WeCom;
using WxShare.Operations;
using WxShare.Refresh;
using WxShare.Storage;
using WxShare.Telemetry;
using WxShare.WeChat;
using WxShare.WeChatDiagnostics;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Operations;

/// <summary>
/// WeChat's own diagnostics through their function classes against the sandbox: quota (route, hourly timer reading,
/// gauge, health), rid (masked) and clear-quota (confirmation, the monthly budget recorded before the call).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WeChatDiagnosticsTests(AzuriteFixture azurite)
{
    private const string AppQuery = "?appId=" + SandboxDefaults.AppId;

    private static async Task<WxShareTestContext> RefreshedAsync(AzuriteFixture azurite, Action<Dictionary<string, string?>>? settings = null,
        SandboxOptions? sandbox = null, Action<IServiceCollection>? services = null)
    {
        var context = await WxShareTestContext.StartAsync(azurite, settings, sandbox, services);
        await context.TickAsync();
        context.Time.Advance(TimeSpan.FromMinutes(10));
        return context;
    }

    private static int QuotaCalls(WxShareTestContext context) => context.Sandbox.State.Diagnostics.QuotaGetCalls;

    private static int DiagnosticCalls(WxShareTestContext context) =>
        context.Sandbox.State.Diagnostics.QuotaGetCalls + context.Sandbox.State.Diagnostics.ClearQuotaCalls + context.Sandbox.State.Rids.All.Count;

    /// <summary>The rid of the newest error answer to a request whose URL starts with <paramref name="path"/>.</summary>
    private static SandboxRidRecord ErrorOf(WxShareTestContext context, string path) =>
        context.Sandbox.State.Rids.All.Last(r => r.RequestUrl.StartsWith(path, StringComparison.Ordinal));

    private static JsonElement CallOf(OperatorAnswer answer, string cgiPath) =>
        answer.Json.GetProperty("calls").EnumerateArray().Single(c => c.GetProperty("cgiPath").GetString() == cgiPath);

    /// <summary>Every secret the deployment and the sandbox hold for the account: none may appear in an answer.</summary>
    private static async Task<string[]> EverySecretAsync(WxShareTestContext context)
    {
        var stored = await context.StoredAsync();
        return new[] { SandboxDefaults.AppSecret, stored.AccessToken?.Value, stored.JsapiTicket?.Value, stored.PreviousJsapiTicket?.Value,
                context.Sandbox.State.CurrentTicket(SandboxDefaults.AppId) }
            .OfType<string>().ToArray();
    }

    private static void AssertNoSecret(string body, string[] secrets)
    {
        foreach (var secret in secrets)
            Assert.False(body.Contains(secret, StringComparison.Ordinal), "A secret, token or ticket of the account is in the answer (not shown).");
    }

    [Fact]
    public async Task Quota_reports_WeChats_count_for_the_stable_token_and_getticket()
    {
        await using var context = await RefreshedAsync(azurite);

        var answer = await OperatorCalls.QuotaAsync(context.Services, AppQuery);

        Assert.Equal(200, answer.Status);
        var token = CallOf(answer, "/cgi-bin/stable_token");
        Assert.Equal((500_000, 1, 499_999), (token.GetProperty("dailyLimit").GetInt64(), token.GetProperty("used").GetInt64(), token.GetProperty("remain").GetInt64()));
        var ticket = CallOf(answer, "/cgi-bin/ticket/getticket");
        Assert.Equal((10_000, 1, 9_999), (ticket.GetProperty("dailyLimit").GetInt64(), ticket.GetProperty("used").GetInt64(), ticket.GetProperty("remain").GetInt64()));
        Assert.Equal(2, answer.Json.GetProperty("calls").GetArrayLength());
        // 02:10 UTC on 1 December is 10:10 in Beijing: the quota resets at the next Beijing midnight, 16:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 16, 0, 0, TimeSpan.Zero), answer.Json.GetProperty("resetsAt").GetDateTimeOffset());
        AssertNoSecret(answer.Body, await EverySecretAsync(context));
    }

    [Fact]
    public async Task Quota_of_a_classic_token_account_asks_for_cgi_bin_token()
    {
        await using var context = await RefreshedAsync(azurite, s => s["WeChat:TokenApi"] = "classic");

        var answer = await OperatorCalls.QuotaAsync(context.Services);

        Assert.Equal(200, answer.Status);
        Assert.Equal(1, CallOf(answer, "/cgi-bin/token").GetProperty("used").GetInt64());
        Assert.Equal(2_000, CallOf(answer, "/cgi-bin/token").GetProperty("dailyLimit").GetInt64());
    }

    [Fact]
    public async Task A_WeCom_app_is_a_400_on_all_three_routes_without_calling_WeChat()
    {
        await using var context = await RefreshedAsync(azurite, WeComApps.AddBoth);
        var before = DiagnosticCalls(context);
        var app = $"?appId={WeComApps.CorpId}&agentId={WeComApps.One}";

        var answers = new[]
        {
            await OperatorCalls.QuotaAsync(context.Services, app),
            await OperatorCalls.RidAsync(context.Services, app + "&rid=6650a1c2-3b4d5e6f-7a8b9c0d"),
            await OperatorCalls.ClearQuotaAsync(context.Services, app),
        };

        foreach (var answer in answers)
        {
            Assert.Equal((400, "not_an_official_account"), (answer.Status, answer.Error));
            Assert.Contains("WeCom", answer.Json.GetProperty("message").GetString());
        }
        Assert.Equal(before, DiagnosticCalls(context));
    }

    [Fact]
    public async Task The_timer_reads_the_quota_at_most_hourly_and_feeds_the_gauge()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite);
        using var readings = new MeterReadings(context.Get<WxShareMetrics>().Meter);

        await context.TickAsync();
        Assert.Equal(2, QuotaCalls(context));
        Assert.Equal([9_999.0], readings.Observe("wxshare.wechat.quota.remaining", ("account", "default"), ("cgi_path", "/cgi-bin/ticket/getticket")));
        Assert.Equal([499_999.0], readings.Observe("wxshare.wechat.quota.remaining", ("account", "default"), ("cgi_path", "/cgi-bin/stable_token")));

        // Eleven more ticks, five minutes apart: within the hour, no reading.
        await context.RunTicksAsync(TimeSpan.FromMinutes(55));
        Assert.Equal(2, QuotaCalls(context));

        await context.RunTicksAsync(TimeSpan.FromMinutes(5));
        Assert.Equal(4, QuotaCalls(context));
        var stored = await context.StoredAsync();
        Assert.Equal(context.Time.GetUtcNow(), stored.QuotaReadAt);
        Assert.Contains(stored.QuotaReadings!, r => r.CgiPath == "/cgi-bin/ticket/getticket");
    }

    [Fact]
    public async Task A_reading_another_instance_made_within_the_hour_spares_WeChat()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite);
        await context.TickAsync();
        var other = new WeChatQuotaService(context.Get<CredentialStore>(), context.Get<WeChatApiClient>(), context.Get<WxShareMetrics>(),
            context.Time, context.Get<Microsoft.Extensions.Logging.ILogger<WeChatQuotaService>>());
        context.Time.Advance(TimeSpan.FromMinutes(59));

        var account = context.Get<WxShare.Accounts.AccountRegistry>().All.Single();
        await other.ReadIfDueAsync(account, CancellationToken.None);

        Assert.Equal(2, QuotaCalls(context));
    }

    [Fact]
    public async Task Health_is_degraded_below_ten_percent_of_a_daily_quota_and_says_which_call_and_when_it_resets()
    {
        await using var context = await RefreshedAsync(azurite, sandbox: new SandboxOptions { TicketDailyQuota = 20 });
        var healthy = await OperatorCalls.HealthAsync(context.Services);
        for (var i = 0; i < 17; i++)
        {
            Assert.Equal(200, (await OperatorCalls.RefreshNowAsync(context.Services)).Status);
            context.Time.Advance(RefreshNowCooldown.Allowance.MinimumInterval); // refresh-now's cooldown: one a minute
        }
        var at10Percent = await OperatorCalls.QuotaAsync(context.Services);
        var healthAt10Percent = await OperatorCalls.HealthAsync(context.Services);
        Assert.Equal(200, (await OperatorCalls.RefreshNowAsync(context.Services)).Status);

        Assert.Equal(2, CallOf(at10Percent, "/cgi-bin/ticket/getticket").GetProperty("remain").GetInt64());
        await OperatorCalls.QuotaAsync(context.Services);
        var degraded = await OperatorCalls.HealthAsync(context.Services);

        Assert.Equal("healthy", healthy.Json.GetProperty("status").GetString());
        Assert.Equal("healthy", healthAt10Percent.Json.GetProperty("status").GetString());
        Assert.Equal(200, degraded.Status);
        Assert.Equal("degraded", degraded.Json.GetProperty("status").GetString());
        var account = degraded.Json.GetProperty("accounts")[0];
        Assert.Equal("degraded", account.GetProperty("status").GetString());
        var reason = account.GetProperty("reason").GetString()!;
        Assert.Contains("/cgi-bin/ticket/getticket", reason);
        Assert.Contains("1 of 20 left", reason);
        Assert.Contains("midnight Beijing time (2026-12-01 16:00:00Z)", reason);
        Assert.Equal(1, account.GetProperty("quota").GetProperty("calls").EnumerateArray()
            .Single(c => c.GetProperty("cgiPath").GetString() == "/cgi-bin/ticket/getticket").GetProperty("remain").GetInt64());

        // A new Beijing day: yesterday's reading no longer counts.
        context.Time.Advance(TimeSpan.FromHours(14));
        var nextDay = await OperatorCalls.HealthAsync(context.Services);
        Assert.DoesNotContain("quota", nextDay.Json.GetProperty("accounts")[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Rid_shows_what_WeChat_saw_with_every_secret_token_and_ticket_masked()
    {
        await using var context = await RefreshedAsync(azurite);
        // A failed stable_token call (its body holds the AppSecret) and a failed getticket (its URL the stored token).
        context.Sandbox.State.SetFault(new SandboxFault(SandboxFaultKind.ErrorCode, SandboxEndpoint.StableToken, ErrorCode: 45009, RemainingCalls: 1));
        await Assert.ThrowsAsync<ApiCallException>(() =>
            context.Get<WeChatApiClient>().GetStableAccessTokenAsync(SandboxDefaults.AppId, SandboxDefaults.AppSecret, false, CancellationToken.None));
        context.Sandbox.State.SetFault(new SandboxFault(SandboxFaultKind.ErrorCode, SandboxEndpoint.Ticket, ErrorCode: 45009, RemainingCalls: 1));
        Assert.Equal(502, (await OperatorCalls.RefreshNowAsync(context.Services)).Status);
        var tokenCall = ErrorOf(context, "/cgi-bin/stable_token");
        var ticketCall = ErrorOf(context, "/cgi-bin/ticket/getticket");
        var secrets = await EverySecretAsync(context);
        Assert.Contains(SandboxDefaults.AppSecret, tokenCall.RequestBody);
        Assert.Contains((await context.StoredAsync()).AccessToken!.Value, ticketCall.RequestUrl);

        var token = await OperatorCalls.RidAsync(context.Services, AppQuery + "&rid=" + tokenCall.Rid);
        var ticket = await OperatorCalls.RidAsync(context.Services, AppQuery + "&rid=" + ticketCall.Rid);

        Assert.Equal(200, token.Status);
        Assert.Equal(200, ticket.Status);
        AssertNoSecret(token.Body, secrets);
        AssertNoSecret(ticket.Body, secrets);
        Assert.Contains("\"secret\":\"***\"", token.Json.GetProperty("requestBody").GetString());
        Assert.Contains("\"appid\":\"" + SandboxDefaults.AppId + "\"", token.Json.GetProperty("requestBody").GetString());
        Assert.Contains("45009", token.Json.GetProperty("responseBody").GetString());
        Assert.Equal("/cgi-bin/ticket/getticket?access_token=***&type=jsapi", ticket.Json.GetProperty("requestUrl").GetString());
        Assert.Contains(ticketCall.Rid, ticket.Json.GetProperty("responseBody").GetString());
        Assert.Equal("127.0.0.1", ticket.Json.GetProperty("clientIp").GetString());
        Assert.Equal(ticketCall.InvokeTime.ToUnixTimeSeconds(), ticket.Json.GetProperty("invokeTime").GetDateTimeOffset().ToUnixTimeSeconds());
    }

    [Theory]
    [InlineData("", 400, "rid_missing")]
    [InlineData("&rid=not-a-rid", 400, "rid_invalid")]
    [InlineData("&rid=6650a1c2-3b4d5e6f-7a8b9c0d%27", 400, "rid_invalid")]
    [InlineData("&rid=6650a1c2-3b4d5e6f-7a8b9c0d", 404, "rid_unknown")]
    public async Task A_missing_malformed_or_unknown_rid_is_a_json_error(string rid, int status, string error)
    {
        await using var context = await RefreshedAsync(azurite);

        var answer = await OperatorCalls.RidAsync(context.Services, AppQuery + rid);

        Assert.Equal((status, error), (answer.Status, answer.Error));
        Assert.False(string.IsNullOrWhiteSpace(answer.Json.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task A_rid_older_than_seven_days_is_unknown_to_WeChat()
    {
        await using var context = await RefreshedAsync(azurite);
        context.Sandbox.State.SetFault(new SandboxFault(SandboxFaultKind.ErrorCode, SandboxEndpoint.Ticket, ErrorCode: 45009, RemainingCalls: 1));
        await OperatorCalls.RefreshNowAsync(context.Services);
        var rid = ErrorOf(context, "/cgi-bin/ticket/getticket").Rid;
        // Keep a valid token stored: refresh now and then, as the timer would.
        context.Time.Advance(TimeSpan.FromDays(7));
        await OperatorCalls.RefreshNowAsync(context.Services);
        context.Time.Advance(TimeSpan.FromMinutes(1));
        await context.TickAsync();

        var answer = await OperatorCalls.RidAsync(context.Services, AppQuery + "&rid=" + rid);

        Assert.Equal((404, "rid_unknown"), (answer.Status, answer.Error));
        Assert.Contains("76001", answer.Json.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("""{"confirm": false}""")]
    [InlineData("""{"confirm": "true"}""")]
    [InlineData("[true]")]
    [InlineData("confirm=true")]
    public async Task Clear_quota_without_confirm_true_is_400_and_calls_nothing(string? body)
    {
        await using var context = await RefreshedAsync(azurite);

        var answer = await OperatorCalls.ClearQuotaAsync(context.Services, AppQuery, body);

        Assert.Equal((400, "confirm_required"), (answer.Status, answer.Error));
        Assert.Contains("{\"confirm\": true}", answer.Json.GetProperty("message").GetString());
        Assert.Equal(0, context.Sandbox.State.Diagnostics.ClearQuotaCalls);
        Assert.Equal(0, (await context.StoredAsync()).ClearQuotaCount);
    }

    [Fact]
    public async Task Clear_quota_resets_WeChats_counters_and_answers_with_the_fresh_reading()
    {
        await using var context = await RefreshedAsync(azurite);

        var answer = await OperatorCalls.ClearQuotaAsync(context.Services, AppQuery);

        Assert.Equal(200, answer.Status);
        Assert.Equal((1, 9, "2026-12"), (answer.Json.GetProperty("clearsThisMonth").GetInt32(), answer.Json.GetProperty("clearsLeftThisMonth").GetInt32(),
            answer.Json.GetProperty("month").GetString()));
        Assert.Equal(0, answer.Json.GetProperty("quota").GetProperty("calls")[1].GetProperty("used").GetInt64());
        Assert.Equal(1, context.Sandbox.State.Diagnostics.ClearQuotaCalls);
        var stored = await context.StoredAsync();
        Assert.Equal(("2026-12", 1), (stored.ClearQuotaMonth, stored.ClearQuotaCount));
        AssertNoSecret(answer.Body, await EverySecretAsync(context));
    }

    [Fact]
    public async Task Clearing_the_quota_ends_a_refresh_waiting_for_its_reset_so_refresh_now_works_at_once()
    {
        await using var context = await RefreshedAsync(azurite, s => s["WeChat:TokenApi"] = "classic", new SandboxOptions { TokenDailyQuota = 1 });
        context.Time.Advance(TimeSpan.FromMinutes(90)); // the token is due by age; the day's only token call is spent
        Assert.Equal(RefreshResult.Failed, await context.TickAsync());
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 16, 0, 0, TimeSpan.Zero), (await context.StoredAsync()).RetryNotBefore);
        var waiting = await OperatorCalls.RefreshNowAsync(context.Services);
        Assert.Equal((429, "refresh_backing_off"), (waiting.Status, waiting.Error));

        Assert.Equal(200, (await OperatorCalls.ClearQuotaAsync(context.Services, AppQuery)).Status);

        Assert.Null((await context.StoredAsync()).RetryNotBefore);
        Assert.Equal(200, (await OperatorCalls.RefreshNowAsync(context.Services)).Status);
        Assert.Equal(3, context.Sandbox.State.Calls.Token);
    }

    [Fact]
    public async Task The_eleventh_clear_of_a_Beijing_month_is_refused_without_calling_WeChat_and_the_next_month_allows_again()
    {
        await using var context = await RefreshedAsync(azurite);
        for (var i = 1; i <= 10; i++)
            Assert.Equal(200, (await OperatorCalls.ClearQuotaAsync(context.Services, AppQuery)).Status);

        var eleventh = await OperatorCalls.ClearQuotaAsync(context.Services, AppQuery);

        Assert.Equal((429, "clear_quota_budget_spent"), (eleventh.Status, eleventh.Error));
        Assert.Contains("WeChat was not called", eleventh.Json.GetProperty("message").GetString());
        Assert.Equal(10, context.Sandbox.State.Diagnostics.ClearQuotaCalls);
        // 1 January 00:00 Beijing time is 31 December 16:00 UTC.
        var nextMonth = new DateTimeOffset(2026, 12, 31, 16, 0, 0, TimeSpan.Zero);
        Assert.Equal(((int)Math.Ceiling((nextMonth - context.Time.GetUtcNow()).TotalSeconds)).ToString(), eleventh.Headers.RetryAfter.ToString());
        Assert.Equal(10, (await context.StoredAsync()).ClearQuotaCount);

        context.Time.SetUtcNow(nextMonth.AddMinutes(1));
        await context.TickAsync();
        Assert.Equal(200, (await OperatorCalls.ClearQuotaAsync(context.Services, AppQuery)).Status);
        Assert.Equal(("2027-01", 1), ((await context.StoredAsync()).ClearQuotaMonth, (await context.StoredAsync()).ClearQuotaCount));
    }

    [Fact]
    public async Task The_row_counts_the_clear_before_WeChat_is_called()
    {
        var countsSeenOnTheWire = new List<int>();
        await using var context = await RefreshedAsync(azurite, services: services => services.AddHttpClient<WeChatApiClient>()
            .AddHttpMessageHandler(sp => new RowProbe(sp.GetRequiredService<CredentialStore>(), countsSeenOnTheWire)));

        await OperatorCalls.ClearQuotaAsync(context.Services, AppQuery);
        await OperatorCalls.ClearQuotaAsync(context.Services, AppQuery);

        Assert.Equal([1, 2], countsSeenOnTheWire);
    }

    [Fact]
    public async Task WeChats_own_monthly_limit_48006_is_explained_and_the_clear_stays_counted()
    {
        await using var context = await RefreshedAsync(azurite);
        // Ten clearings by something else that holds the AppSecret.
        using var http = new HttpClient { BaseAddress = context.Sandbox.BaseAddress };
        for (var i = 0; i < 10; i++)
            (await http.PostAsync("cgi-bin/clear_quota/v2", new StringContent(
                JsonSerializer.Serialize(new { appid = SandboxDefaults.AppId, appsecret = SandboxDefaults.AppSecret }), System.Text.Encoding.UTF8, "application/json")))
                .EnsureSuccessStatusCode();

        var answer = await OperatorCalls.ClearQuotaAsync(context.Services, AppQuery);

        Assert.Equal((429, "wechat_clear_quota_limit"), (answer.Status, answer.Error));
        var message = answer.Json.GetProperty("message").GetString()!;
        Assert.Contains("48006", message);
        Assert.Contains("10 a month", message);
        Assert.Equal(1, (await context.StoredAsync()).ClearQuotaCount);
        AssertNoSecret(answer.Body, await EverySecretAsync(context));
    }

    [Fact]
    public async Task No_stored_token_is_503_and_WeChat_is_not_asked()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite);

        var quota = await OperatorCalls.QuotaAsync(context.Services, AppQuery);
        var rid = await OperatorCalls.RidAsync(context.Services, AppQuery + "&rid=6650a1c2-3b4d5e6f-7a8b9c0d");

        Assert.Equal((503, "token_unavailable"), (quota.Status, quota.Error));
        Assert.Equal((503, "token_unavailable"), (rid.Status, rid.Error));
        Assert.Equal(0, DiagnosticCalls(context));
    }

    /// <summary>Reads the account's row at the moment a clear_quota request leaves.</summary>
    private sealed class RowProbe(CredentialStore store, List<int> counts) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath.EndsWith("/clear_quota/v2", StringComparison.Ordinal))
                counts.Add((await store.GetAsync(SandboxDefaults.AppId, cancellationToken)).ClearQuotaCount);
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
