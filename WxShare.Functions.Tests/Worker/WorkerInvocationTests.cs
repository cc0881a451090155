using System.Net;
using System.Text.Json;
using WxShare.Functions.Tests.FunctionsHost.Protocol;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Worker;

/// <summary>The worker after the host's start-up timer invocation (runOnStartup), invoked over gRPC and HTTP.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class WorkerInvocationTests(AzuriteFixture azurite, RefreshedFunctionsAppFixture fixture) : IClassFixture<RefreshedFunctionsAppFixture>
{
    private const string Page = "https://m.example.com/article/2026?from=singlemessage&isappinstalled=0";
    private const string AllowedOrigin = "https://www.example.com";

    [Fact]
    public async Task The_start_up_timer_invocation_refreshes_once_token_then_ticket()
    {
        var app = await fixture.AppAsync(azurite);

        Assert.Equal(StatusResult.Types.Status.Success, fixture.StartupTick.Result.Status);
        Assert.Equal(new SandboxCallCounts(Token: 0, StableToken: 1, Ticket: 1), fixture.CallsAfterStartupTick);
        Assert.Contains(app.Host.Logs, log =>
            log.InvocationId == fixture.StartupTick.InvocationId && log.Message.StartsWith($"Refreshed {SandboxDefaults.AppId}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_later_tick_is_not_due_and_calls_WeChat_not_at_all()
    {
        var app = await fixture.AppAsync(azurite);

        var tick = await app.Host.InvokeTimerAsync("RefreshCredentials");

        Assert.Equal(StatusResult.Types.Status.Success, tick.Result.Status);
        Assert.Equal(fixture.CallsAfterStartupTick, app.Sandbox.State.Calls);
    }

    [Fact]
    public async Task Get_returns_a_config_that_verifies_against_the_sandboxs_ticket()
    {
        var app = await fixture.AppAsync(azurite);

        var response = await app.Host.GetAsync(WorkerRoutes.Config(Page + "#share"));

        await response.AssertSignedConfigAsync(Page, app.Sandbox.State);
    }

    [Fact]
    public async Task An_allowed_origin_gets_CORS_and_its_preflight_is_answered()
    {
        var app = await fixture.AppAsync(azurite);

        var get = await app.Host.GetAsync(WorkerRoutes.Config(Page), AllowedOrigin);
        var preflight = await app.Host.GetAsync(WorkerRoutes.Config(Page), AllowedOrigin, HttpMethod.Options);
        var otherOrigin = await app.Host.GetAsync(WorkerRoutes.Config(Page), "https://evil.example.org");

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(AllowedOrigin, get.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("Origin", get.Headers.Vary);
        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal(AllowedOrigin, preflight.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal(HttpStatusCode.OK, otherOrigin.StatusCode);
        Assert.False(otherOrigin.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_bad_url_is_a_json_400_that_names_the_problem()
    {
        var app = await fixture.AppAsync(azurite);

        var response = await app.Host.GetAsync(WorkerRoutes.ConfigPath + "?url=not-a-url");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        Assert.Equal("url_invalid", json.RootElement.GetProperty("error").GetString());
        Assert.False(string.IsNullOrWhiteSpace(json.RootElement.GetProperty("message").GetString()));
        Assert.DoesNotContain("   at ", body);
    }

    [Fact]
    public async Task Health_is_anonymous_and_reports_the_refreshed_account_as_healthy_json()
    {
        var app = await fixture.AppAsync(azurite);

        var response = await app.Host.GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("healthy", json.RootElement.GetProperty("status").GetString());
        var account = json.RootElement.GetProperty("accounts")[0];
        Assert.Equal(SandboxDefaults.AppId, account.GetProperty("appId").GetString());
        // Issue 17: a stranger sees status and reason, not times, errmsg or rid; a key with route ops sees the detail.
        Assert.Equal(["name", "appId", "status", "reason"], account.EnumerateObject().Select(p => p.Name).ToArray());
        using var keyed = JsonDocument.Parse(await (await app.Host.SendAsync(FunctionsApp.Keyed(HttpMethod.Get, "/api/health"))).Content.ReadAsStringAsync());
        Assert.True(keyed.RootElement.GetProperty("accounts")[0].TryGetProperty("tickets", out _));
        var relayOnly = await app.Host.SendAsync(FunctionsApp.Keyed(HttpMethod.Get, "/api/health", FunctionsApp.RelayOnlyKey));
        Assert.Equal(HttpStatusCode.Forbidden, relayOnly.StatusCode);
    }

    // With the operator key these reach their endpoints; each answers without calling WeChat (the relay is off by
    // default, the appId is unknown), which leaves the fixture's call counts alone.
    [Theory]
    [InlineData("GET", "/api/wechat/token", "", 403, "relay_disabled")]
    [InlineData("POST", "/api/wechat/token/refresh", "{\"accessToken\":\"rejected\"}", 403, "relay_disabled")]
    [InlineData("POST", "/api/ops/refresh?appId=wx0000000000000000", "", 404, "account_unknown")]
    public async Task The_key_protected_operator_routes_answer_json_through_the_worker(string method, string path, string body, int status, string error)
    {
        var app = await fixture.AppAsync(azurite);
        using var request = FunctionsApp.Keyed(new HttpMethod(method), path);
        if (body.Length > 0)
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        var response = await app.Host.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(error, json.RootElement.GetProperty("error").GetString());
        Assert.Equal(fixture.CallsAfterStartupTick, app.Sandbox.State.Calls);
    }

    /// <summary>Issue 17: in Azure any function key opened every operator route, and the worker could not tell which key it was.</summary>
    [Theory]
    [InlineData("GET", "/api/wechat/token", null, "", 401, "key_missing")]
    [InlineData("GET", "/api/wechat/token", "wrong-key-wrong-key-wrong-key-wrong-key", "", 401, "key_invalid")]
    [InlineData("GET", "/api/wechat/token", FunctionsApp.OperatorKey, "?code=" + FunctionsApp.OperatorKey, 400, "key_in_query")]
    [InlineData("GET", "/api/wechat/token", FunctionsApp.OperatorKey, "?code=an-azure-function-key", 400, "key_in_query")]
    [InlineData("POST", "/api/ops/refresh", FunctionsApp.RelayOnlyKey, "", 403, "key_scope")]
    [InlineData("GET", "/api/jssdk/diagnose", FunctionsApp.RelayOnlyKey, "?url=https%3A%2F%2Fexample.com%2F", 403, "key_scope")]
    public async Task The_worker_checks_the_key_itself_bearer_only_scoped_by_route(string method, string path, string? key, string query, int status, string error)
    {
        var app = await fixture.AppAsync(azurite);
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path + query, UriKind.Relative));
        if (key is not null)
            request.Headers.Authorization = TestKeys.Bearer(key);

        var response = await app.Host.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        Assert.Equal(error, json.RootElement.GetProperty("error").GetString());
        Assert.DoesNotContain(FunctionsApp.OperatorKey, body);
        Assert.DoesNotContain(FunctionsApp.RelayOnlyKey, body);
        if (error == "key_scope")
            Assert.Contains("'relay-only'", body);
        Assert.Equal(fixture.CallsAfterStartupTick, app.Sandbox.State.Calls);
        Assert.DoesNotContain(app.Host.Logs, l => l.Message.Contains(FunctionsApp.OperatorKey) || l.Message.Contains(FunctionsApp.RelayOnlyKey));
    }

    [Fact]
    public async Task Neither_the_worker_logs_nor_its_output_carry_the_secret_or_the_ticket()
    {
        var app = await fixture.AppAsync(azurite);
        await app.Host.GetAsync(WorkerRoutes.Config(Page));
        var ticket = app.Sandbox.State.CurrentTicket(SandboxDefaults.AppId)!;

        Assert.NotEmpty(app.Host.Logs);
        var everything = string.Join('\n', app.Host.Logs.Select(l => $"{l.Message} {l.Exception?.Message} {l.Properties}")) + app.Host.WorkerOutput;
        Assert.DoesNotContain(SandboxDefaults.AppSecret, everything);
        Assert.DoesNotContain(ticket, everything);
        Assert.DoesNotContain("access_token=", everything);
    }
}

/// <summary>A worker whose start-up tick (the host's runOnStartup invocation) has run, with what it cost.</summary>
public sealed class RefreshedFunctionsAppFixture : FunctionsAppFixture
{
    public InvocationResponse StartupTick { get; private set; } = null!;
    public SandboxCallCounts CallsAfterStartupTick { get; private set; } = null!;

    protected override async Task<FunctionsApp> StartAsync(AzuriteFixture azurite)
    {
        var app = await base.StartAsync(azurite);
        try
        {
            StartupTick = await app.Host.InvokeTimerAsync("RefreshCredentials");
        }
        catch
        {
            // The fixture disposes only an app it could hand out: stop this one's worker now.
            await app.DisposeAsync();
            throw;
        }
        CallsAfterStartupTick = app.Sandbox.State.Calls;
        return app;
    }
}
