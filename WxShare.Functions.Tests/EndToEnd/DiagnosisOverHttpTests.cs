using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Host;
using WxShare.Signing;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.EndToEnd;

/// <summary>The diagnose and report routes of the standalone host over real HTTP.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class DiagnosisOverHttpTests(AzuriteFixture azurite)
{
    private const string Page = "https://m.example.com/article/2026?from=singlemessage&isappinstalled=0";

    /// <summary>A key with route diagnose (Keys__support__*): diagnose needs one on both hosts.</summary>
    private const string OperatorKey = "support-key-0123456789abcdefghijklmnopqr";

    private static Action<WebApplicationBuilder> With(params (string Key, string Value)[] settings) => builder =>
    {
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))
            .Append(new("Keys:support:Secret", OperatorKey)).Append(new("Keys:support:Routes", "diagnose")).Append(new("Keys:support:Accounts", "*")));
        builder.Logging.AddFakeLogging();
    };

    private static async Task<HttpResponseMessage> ReportAsync(StandaloneHost host, string body, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, WxShareHost.ReportRoute) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (forwardedFor is not null)
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        return await host.Client.SendAsync(request);
    }

    private static string ReportOf(JsSdkConfig config, string signature) =>
        JsonSerializer.Serialize(new { errMsg = "config:invalid signature", url = config.Url, appId = config.AppId, timestamp = config.Timestamp, nonceStr = config.NonceStr, signature, userAgent = "MicroMessenger/8.0" });

    [Fact]
    public async Task Diagnose_and_report_over_http_give_the_verdict_and_no_ticket()
    {
        await using var host = await StandaloneHost.StartAsync(azurite, configure: With());
        host.Client.DefaultRequestHeaders.Authorization = TestKeys.Bearer(OperatorKey);
        var config = (await (await host.WaitForConfigAsync(Page)).Content.ReadFromJsonAsync<JsSdkConfig>())!;
        var ticket = host.Sandbox.State.CurrentTicket(SandboxDefaults.AppId)!;
        var wrong = new string('f', 40);
        var query = $"?url={Uri.EscapeDataString(config.Url)}&timestamp={config.Timestamp}&nonceStr={config.NonceStr}&signature=";

        var matching = await host.Client.GetAsync(WxShareHost.DiagnoseRoute + query + config.Signature);
        var mismatched = await host.Client.GetAsync(WxShareHost.DiagnoseRoute + query + wrong);
        var report = await ReportAsync(host, ReportOf(config, wrong));

        Assert.Equal(HttpStatusCode.OK, matching.StatusCode);
        Assert.Equal("application/json", matching.Content.Headers.ContentType?.MediaType);
        Assert.Equal("current", (await matching.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("signature").GetProperty("match").GetString());
        var mismatchedBody = await mismatched.Content.ReadAsStringAsync();
        Assert.Equal("none", JsonDocument.Parse(mismatchedBody).RootElement.GetProperty("signature").GetProperty("match").GetString());
        Assert.Contains($"\"signedUrl\":\"{Page}\"", mismatchedBody); // readable: '&' not escaped as \u0026
        Assert.Equal(HttpStatusCode.Accepted, report.StatusCode);
        var reportBody = await report.Content.ReadAsStringAsync();
        Assert.Contains("signature_mismatch", reportBody);

        var logs = host.App.Services.GetRequiredService<FakeLogCollector>().GetSnapshot();
        Assert.Single(logs, l => l.Level == LogLevel.Warning && l.Message.Contains("A page reported"));
        foreach (var text in new[] { mismatchedBody, reportBody }.Concat(logs.Select(l => l.Message)))
        {
            Assert.DoesNotContain(ticket, text);
            Assert.DoesNotContain(SandboxDefaults.AppSecret, text);
        }
    }

    /// <summary>Issue 17: the report route answered anyone with the full diagnosis (account, domains, tickets' state).</summary>
    [Fact]
    public async Task An_anonymous_report_gets_a_receipt_only_and_the_diagnosis_goes_to_the_log_under_its_id()
    {
        await using var host = await StandaloneHost.StartAsync(azurite, configure: With());
        var config = (await (await host.WaitForConfigAsync(Page)).Content.ReadFromJsonAsync<JsSdkConfig>())!;

        var report = await ReportAsync(host, ReportOf(config, new string('f', 40)));

        Assert.Equal(HttpStatusCode.Accepted, report.StatusCode);
        var body = await report.Content.ReadAsStringAsync();
        var receipt = JsonDocument.Parse(body).RootElement;
        Assert.Equal(["received", "reportId"], receipt.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.True(receipt.GetProperty("received").GetBoolean());
        var reportId = receipt.GetProperty("reportId").GetString()!;
        Assert.DoesNotContain("signature_mismatch", body);
        Assert.DoesNotContain(SandboxDefaults.AppId, body);
        var logged = Assert.Single(host.App.Services.GetRequiredService<FakeLogCollector>().GetSnapshot(), l => l.Message.Contains("A page reported"));
        Assert.Contains(reportId, logged.Message);
        Assert.Contains("signature_mismatch", logged.Message);
    }

    [Fact]
    public async Task Bad_report_bodies_over_http_get_400_json()
    {
        await using var host = await StandaloneHost.StartAsync(azurite, configure: With());
        host.Client.DefaultRequestHeaders.Authorization = TestKeys.Bearer(OperatorKey);
        var tooLarge = JsonSerializer.Serialize(new { errMsg = "x", url = Page, userAgent = new string('u', 10_000) });

        foreach (var (body, error) in new[] { ("{not json", "body_malformed"), ("{\"url\":\"https://m.example.com/\"}", "field_missing"), (tooLarge, "body_too_large") })
        {
            var response = await ReportAsync(host, body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(error, (await response.Content.ReadFromJsonAsync<ApiError>())!.Error);
        }
    }

    [Fact]
    public async Task Reports_over_http_are_limited_per_forwarded_address_and_in_total_with_429_json()
    {
        await using var host = await StandaloneHost.StartAsync(azurite, configure: With(
            ("Reports:PerAddressPerMinute", "2"), ("Reports:TotalPerMinute", "4"), ("Reports:ClientAddressHeader", "X-Forwarded-For")));
        const string body = """{"errMsg":"config:invalid signature","url":"https://m.example.com/p"}""";

        var statuses = new List<int>();
        // The proxy appends the address it saw: the last entry counts, whatever a client put before it.
        foreach (var forwardedFor in new[] { "198.51.100.1", "10.0.0.9, 198.51.100.1:5123", "198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4" })
            statuses.Add((int)(await ReportAsync(host, body, forwardedFor)).StatusCode);
        var limited = await ReportAsync(host, body, "198.51.100.5");

        Assert.Equal([202, 202, 429, 202, 202, 429], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter?.Delta);
        Assert.Equal("report_rate_limited", (await limited.Content.ReadFromJsonAsync<ApiError>())!.Error);
        Assert.Equal(4, host.App.Services.GetRequiredService<FakeLogCollector>().GetSnapshot().Count(l => l.Message.Contains("A page reported")));
    }

    [Fact]
    public async Task Prometheus_scrape_over_http_has_the_WxShare_instruments()
    {
        await using var host = await StandaloneHost.StartAsync(azurite, configure: With(("Metrics:Prometheus", "true")));
        host.Client.DefaultRequestHeaders.Authorization = TestKeys.Bearer(OperatorKey);
        Assert.Equal(HttpStatusCode.OK, (await host.WaitForConfigAsync(Page)).StatusCode);
        await host.Client.GetAsync(StandaloneHost.ConfigPath("https://evil.example.org/"));

        // The signing counter counts once a response has completed, which can be a moment after the client has it.
        var scrape = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(10); !scrape.Contains("result=\"rejected\"") && DateTime.UtcNow < deadline; await Task.Delay(200))
            scrape = await host.Client.GetStringAsync(WxShareHost.PrometheusRoute);

        Assert.Matches("""wxshare_signing_requests_total\{[^}]*result="signed"[^}]*\} [1-9]""", scrape);
        Assert.Matches("""wxshare_signing_requests_total\{[^}]*result="rejected"[^}]*\} 1""", scrape);
        Assert.Matches("""wxshare_refreshes_total\{[^}]*account="default"[^}]*result="refreshed"[^}]*\} 1""", scrape);
        // The default account takes the stable token: its own endpoint, with its own quota.
        Assert.Matches("""wxshare_wechat_calls_total\{[^}]*endpoint="stable_token"[^}]*\} 1""", scrape);
        Assert.Matches("""wxshare_wechat_calls_today\{[^}]*endpoint="getticket"[^}]*\} 1""", scrape);
        Assert.Matches("""wxshare_wechat_daily_quota\{[^}]*endpoint="token"[^}]*\} 2000""", scrape);
        Assert.Matches("""wxshare_wechat_daily_quota\{[^}]*endpoint="stable_token"[^}]*\} 500000""", scrape);
        Assert.Matches("""wxshare_credential_remaining_seconds\{[^}]*credential="jsapi_ticket"[^}]*\} 7[0-9]{3}""", scrape);
        Assert.DoesNotContain(host.Sandbox.State.CurrentTicket(SandboxDefaults.AppId)!, scrape);
        Assert.Matches("""target_info\{[^}]*service_name="WxShare"[^}]*\} 1""", scrape);
    }

    [Fact]
    public async Task Without_the_setting_there_is_no_metrics_route()
    {
        await using var host = await StandaloneHost.StartAsync(azurite);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync(WxShareHost.PrometheusRoute)).StatusCode);
    }

    [Fact]
    public async Task Diagnose_on_the_standalone_host_wants_a_key()
    {
        await using var host = await StandaloneHost.StartAsync(azurite, configure: With());

        var withoutKey = await host.Client.GetAsync(WxShareHost.DiagnoseRoute + "?url=" + Uri.EscapeDataString(Page));
        var keyInQuery = await host.Client.GetAsync(WxShareHost.DiagnoseRoute + "?code=not-the-key&url=" + Uri.EscapeDataString(Page));
        var wrongKey = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, WxShareHost.DiagnoseRoute + "?url=" + Uri.EscapeDataString(Page))
            { Headers = { Authorization = TestKeys.Bearer("not-the-key-not-the-key-not-the-key-0000") } });

        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        Assert.Equal("key_missing", (await withoutKey.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, keyInQuery.StatusCode);
        Assert.Equal("key_in_query", (await keyInQuery.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
    }
}
