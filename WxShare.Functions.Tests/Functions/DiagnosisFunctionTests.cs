using WxShare.Http;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WxShare.Diagnosis;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Functions.Tests.Refresh;
using WxShare.Signing;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Functions;

/// <summary>The diagnose and report function classes called directly, against Azurite and the sandbox.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class DiagnosisFunctionTests(AzuriteFixture azurite)
{
    private const string Page = "https://m.example.com/share/7?from=timeline&id=3";

    private static async Task<WxShareTestContext> RefreshedAsync(AzuriteFixture azurite, Action<Dictionary<string, string?>>? configure = null)
    {
        var context = await WxShareTestContext.StartAsync(azurite, configure);
        await context.TickAsync();
        return context;
    }

    private static async Task<JsSdkConfig> SignAsync(WxShareTestContext context, string page = Page)
    {
        var request = HttpRequests.Get(context.Services, HttpRequests.ForPage(page));
        return HttpRequests.Unwrap<JsSdkConfig>(await HttpRequests.ExecuteAsync(await new JsSdkConfigFunction(context.Get<HttpEdge>()).Run(request), request)).Body;
    }

    private static async Task<(int Status, string Body, JsonElement Json)> DiagnoseAsync(WxShareTestContext context, string queryString)
    {
        var request = WxShareTestContext.Keyed(HttpRequests.Get(context.Services, queryString));
        return await (await new JsSdkDiagnoseFunction(context.Get<HttpEdge>()).Run(request)).ExecuteAsync(request);
    }

    private static async Task<(int Status, string Body, JsonElement Json)> ReportAsync(WxShareTestContext context, string body, string remoteAddress = "203.0.113.7")
    {
        // As an operator replaying a page's report with a diagnose key: the answer then carries the diagnosis (a page's carries only the receipt).
        var request = WxShareTestContext.Keyed(ResultExecution.Post(context.Services, body, "https://m.example.com", remoteAddress));
        var (status, text, json) = await (await new FieldReportFunction(context.Get<HttpEdge>()).Run(request)).ExecuteAsync(request);
        return (status, text, json.ValueKind == JsonValueKind.Object && json.TryGetProperty("diagnosis", out var diagnosis) ? diagnosis : json);
    }

    private static string DiagnoseQuery(JsSdkConfig config, string? signature = null) =>
        $"?url={Uri.EscapeDataString(config.Url)}&appId={config.AppId}&signature={signature ?? config.Signature}&timestamp={config.Timestamp}&nonceStr={config.NonceStr}";

    private static string ReportBody(JsSdkConfig config, string? signature = null) => JsonSerializer.Serialize(new
    {
        errMsg = "config:invalid signature",
        url = config.Url,
        appId = config.AppId,
        timestamp = config.Timestamp,
        nonceStr = config.NonceStr,
        signature = signature ?? config.Signature,
        userAgent = "Mozilla/5.0 (iPhone) MicroMessenger/8.0.50",
    });

    [Fact]
    public async Task Diagnose_says_a_config_the_service_signed_matches_the_current_ticket()
    {
        await using var context = await RefreshedAsync(azurite);
        var config = await SignAsync(context);

        var (status, _, json) = await DiagnoseAsync(context, DiagnoseQuery(config));

        Assert.Equal(200, status);
        Assert.Equal("current", json.GetProperty("signature").GetProperty("match").GetString());
        Assert.Equal("default", json.GetProperty("account").GetProperty("name").GetString());
        Assert.True(json.GetProperty("domainAllowed").GetBoolean());
        Assert.Equal($"jsapi_ticket=***&noncestr={config.NonceStr}&timestamp={config.Timestamp}&url={Page}", json.GetProperty("stringToSign").GetString());
    }

    [Fact]
    public async Task Diagnose_recognises_a_config_signed_before_the_last_refresh_as_previous()
    {
        await using var context = await RefreshedAsync(azurite);
        var before = await SignAsync(context);
        context.Time.Advance(TimeSpan.FromMinutes(101)); // past Refresh__MaxAgeMinutes: the next tick fetches a new ticket
        await context.TickAsync();
        var stored = await context.StoredAsync();
        Assert.NotNull(stored.PreviousJsapiTicket);
        Assert.NotEqual(stored.JsapiTicket!.Value, stored.PreviousJsapiTicket.Value);

        var (_, body, json) = await DiagnoseAsync(context, DiagnoseQuery(before));

        Assert.Equal("previous", json.GetProperty("signature").GetProperty("match").GetString());
        Assert.Contains("timestamp_far_from_now", body); // signed 101 minutes ago: the page reused a cached config
    }

    [Fact]
    public async Task Diagnose_answers_a_mismatched_signature_with_none_and_never_shows_a_ticket()
    {
        await using var context = await RefreshedAsync(azurite);
        var config = await SignAsync(context);

        var (status, body, json) = await DiagnoseAsync(context, DiagnoseQuery(config, new string('0', 40)));

        Assert.Equal(200, status);
        Assert.Equal("none", json.GetProperty("signature").GetProperty("match").GetString());
        var stored = await context.StoredAsync();
        Assert.DoesNotContain(stored.JsapiTicket!.Value, body);
        Assert.DoesNotContain(stored.AccessToken!.Value, body);
        Assert.DoesNotContain(SandboxDefaults.AppSecret, body);
    }

    [Theory]
    [InlineData("", 400, "url_missing")]
    [InlineData("?url=https%3A%2F%2Fm.example.com%2F&url=https%3A%2F%2Fexample.com%2F", 400, "parameter_repeated")]
    public async Task Diagnose_rejects_a_request_without_one_url_as_json(string query, int expectedStatus, string expectedError)
    {
        await using var context = await WxShareTestContext.StartAsync(azurite);
        var (status, _, json) = await DiagnoseAsync(context, query);
        Assert.Equal(expectedStatus, status);
        Assert.Equal(expectedError, json.GetProperty("error").GetString());
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task A_report_is_diagnosed_and_logged_as_one_warning_without_any_ticket()
    {
        await using var context = await RefreshedAsync(azurite);
        var config = await SignAsync(context);
        context.Logs.Clear();

        var (status, body, json) = await ReportAsync(context, ReportBody(config, new string('a', 40)));

        Assert.Equal(202, status);
        Assert.Equal("none", json.GetProperty("signature").GetProperty("match").GetString());
        var warning = Assert.Single(context.Logs.GetSnapshot(), l => l.Level >= LogLevel.Warning);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("config:invalid signature", warning.Message);
        Assert.Contains("signature none", warning.Message);
        Assert.Contains("signature_mismatch", warning.Message);
        Assert.Contains("MicroMessenger", warning.Message);
        var stored = await context.StoredAsync();
        foreach (var secret in new[] { stored.JsapiTicket!.Value, stored.AccessToken!.Value, SandboxDefaults.AppSecret })
        {
            Assert.DoesNotContain(secret, body);
            Assert.All(context.Logs.GetSnapshot(), l => Assert.DoesNotContain(secret, l.Message));
        }
    }

    [Fact]
    public async Task A_report_with_a_string_timestamp_is_accepted()
    {
        await using var context = await RefreshedAsync(azurite);
        var config = await SignAsync(context);
        var body = ReportBody(config).Replace($"\"timestamp\":{config.Timestamp}", $"\"timestamp\":\"{config.Timestamp}\"");
        var (status, _, json) = await ReportAsync(context, body);
        Assert.Equal(202, status);
        Assert.Equal("current", json.GetProperty("signature").GetProperty("match").GetString());
    }

    [Theory]
    [InlineData("{\"errMsg\":\"config:invalid signature\",", "body_malformed")]
    [InlineData("[1,2,3]", "body_malformed")]
    [InlineData("{\"errMsg\":\"x\",\"url\":\"https://m.example.com/\",\"timestamp\":\"soon\"}", "body_malformed")]
    [InlineData("", "body_missing")]
    [InlineData("{\"url\":\"https://m.example.com/\"}", "field_missing")]
    [InlineData("{\"errMsg\":\"config:invalid signature\"}", "field_missing")]
    [InlineData("big", "body_too_large")]
    [InlineData("""{"errMsg":"agentConfig:invalid signature","url":"https://m.example.com/a","agentId":"hr"}""", "body_malformed")]
    [InlineData("""{"errMsg":"agentConfig:invalid signature","url":"https://m.example.com/a","agentId":1000002.5}""", "body_malformed")]
    [InlineData("""{"errMsg":"agentConfig:invalid signature","url":"https://m.example.com/a","signatureOf":"wx.agentConfig"}""", "field_invalid")]
    public async Task A_bad_report_body_gets_400_json_and_is_not_logged(string body, string expectedError)
    {
        await using var context = await WxShareTestContext.StartAsync(azurite);
        if (body == "big")
            body = JsonSerializer.Serialize(new { errMsg = "x", url = "https://m.example.com/", userAgent = new string('u', FieldReportEndpoint.MaxBodyBytes) });

        var (status, _, json) = await ReportAsync(context, body);

        Assert.Equal(400, status);
        Assert.Equal(expectedError, json.GetProperty("error").GetString());
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("message").GetString()));
        Assert.DoesNotContain(context.Logs.GetSnapshot(), l => l.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Reports_are_limited_per_client_address_and_in_total()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite, s =>
        {
            s["Reports:PerAddressPerMinute"] = "2";
            s["Reports:TotalPerMinute"] = "3";
        });
        var body = """{"errMsg":"config:invalid signature","url":"https://m.example.com/p"}""";

        var first = await ReportAsync(context, body, "203.0.113.1");
        var second = await ReportAsync(context, body, "203.0.113.1");
        var thirdFromSameAddress = await ReportAsync(context, body, "203.0.113.1");
        var otherAddress = await ReportAsync(context, body, "203.0.113.2");
        var overTotal = await ReportAsync(context, body, "203.0.113.3");

        Assert.Equal([202, 202, 429, 202, 429], new[] { first, second, thirdFromSameAddress, otherAddress, overTotal }.Select(r => r.Status));
        Assert.Equal("report_rate_limited", overTotal.Json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Report_preflight_allows_post_from_an_allowed_origin_and_refuses_others()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite);
        var function = new FieldReportFunction(context.Get<HttpEdge>());
        var allowed = HttpRequests.Get(context.Services, "", "https://m.example.com", "OPTIONS");
        var refused = ResultExecution.Post(context.Services, "{}", "https://evil.example.org");

        var preflight = await (await function.Run(allowed)).ExecuteAsync(allowed);
        var post = await (await function.Run(refused)).ExecuteAsync(refused);

        Assert.Equal(204, preflight.Status);
        Assert.Equal("https://m.example.com", allowed.HttpContext.Response.Headers.AccessControlAllowOrigin.ToString());
        Assert.Equal("POST, OPTIONS", allowed.HttpContext.Response.Headers.AccessControlAllowMethods.ToString());
        Assert.Equal(403, post.Status);
        Assert.Equal("origin_not_allowed", post.Json.GetProperty("error").GetString());
    }

    [Fact]
    public void The_functions_app_resolves_the_diagnose_and_report_functions()
    {
        using var host = WxShareFunctionsApp.Build([], config => config.AddInMemoryCollection(TestSettings.Offline()));
        Assert.NotNull(ActivatorUtilities.CreateInstance<JsSdkDiagnoseFunction>(host.Services));
        Assert.NotNull(ActivatorUtilities.CreateInstance<FieldReportFunction>(host.Services));
    }
}
