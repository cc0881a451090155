using WxShare.Http;
using System.Net;
using System.Net.Http.Json;
using WxShare.Functions.Tests.FunctionsHost;
using WxShare.Functions.Tests.FunctionsHost.Protocol;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Cards;
using WxShare.Diagnosis;
using WxShare.Page;
using WxShare.Refresh;
using WxShare.Signing;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Worker;

/// <summary>The real worker booted by the test host, before any timer invocation: what it reports and serves.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class WorkerBootTests(AzuriteFixture azurite, FunctionsAppFixture fixture) : IClassFixture<FunctionsAppFixture>
{
    [Fact]
    public async Task Boots_and_reports_exactly_the_apps_functions_with_their_bindings()
    {
        var app = await fixture.AppAsync(azurite);

        Assert.Equal(WorkerRoutes.Functions.Order(StringComparer.Ordinal), app.Host.Functions.Select(f => f.Name).Order(StringComparer.Ordinal));

        var http = app.Host.Function("JsSdkConfig");
        Assert.Equal("WxShare.Functions.JsSdkConfigFunction.Run", http.Metadata.EntryPoint);
        Assert.Equal("WxShare.Functions.dll", http.Metadata.ScriptFile);
        Assert.True(http.IsTriggeredBy("httpTrigger"));
        Assert.Equal("jssdk/config", http.Trigger.GetProperty("route").GetString());
        Assert.Equal(["get", "options"], http.Trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("Anonymous", http.Trigger.GetProperty("authLevel").GetString());
        Assert.Equal(BindingInfo.Types.Direction.In, http.Metadata.Bindings["request"].Direction);
        Assert.Equal("http", http.Metadata.Bindings["$return"].Type);
        Assert.Equal(BindingInfo.Types.Direction.Out, http.Metadata.Bindings["$return"].Direction);

        var timer = app.Host.Function("RefreshCredentials");
        Assert.Equal("WxShare.Functions.RefreshCredentialsFunction.Run", timer.Metadata.EntryPoint);
        Assert.True(timer.IsTriggeredBy("timerTrigger"));
        Assert.True(timer.Trigger.GetProperty("runOnStartup").GetBoolean());
        var schedule = timer.Trigger.GetProperty("schedule").GetString()!;
        Assert.Equal("%RefreshSchedule%", schedule);
        var resolved = app.Host.ResolveAppSettings(schedule);
        Assert.Equal(FunctionsApp.Schedule, resolved);
        Assert.True(RefreshSchedule.IsValid(resolved));
        Assert.Single(timer.Bindings);
    }

    [Fact]
    public async Task Reports_a_loopback_HttpUri_for_the_host_to_forward_requests_to()
    {
        var app = await fixture.AppAsync(azurite);
        var httpUri = new Uri(app.Host.WorkerCapabilities[FunctionsWorkerHost.HttpUriCapability]);
        Assert.True(httpUri.IsLoopback, httpUri.ToString());
        Assert.Equal(Uri.UriSchemeHttp, httpUri.Scheme);
    }

    [Fact]
    public async Task Before_any_refresh_the_config_route_answers_503_with_retry_after()
    {
        var app = await fixture.AppAsync(azurite);

        var response = await app.Host.GetAsync(WorkerRoutes.Config("https://example.com/"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(60), response.Headers.RetryAfter?.Delta);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var error = await response.Content.ReadFromJsonAsync<ApiError>();
        Assert.Equal("ticket_unavailable", error!.Error);
        Assert.Contains("not completed", error.Message);
        Assert.Equal(new SandboxCallCounts(0, 0, 0), app.Sandbox.State.Calls);
    }

    [Theory]
    [InlineData("/api/" + ApiRoutes.ScriptPath, "text/javascript")]
    [InlineData("/api/" + ApiRoutes.ModulePath, "text/javascript")]
    [InlineData("/api/" + ApiRoutes.DemoPath, "text/html")]
    public async Task Serves_the_page_files_through_the_worker(string path, string mediaType)
    {
        var app = await fixture.AppAsync(azurite);

        var response = await app.Host.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.ETag);
        Assert.NotEmpty(await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/api/" + ApiRoutes.CardExtPath + "?cardId=p1")]
    [InlineData("/api/" + ApiRoutes.ChooseCardPath)]
    public async Task The_card_routes_answer_through_the_worker_with_JSON(string path)
    {
        var app = await fixture.AppAsync(azurite);

        var response = await app.Host.GetAsync(path);

        // The worker's account keeps no card ticket: a JSON 404 that names the setting, not an empty answer.
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<ApiError>();
        Assert.Equal("card_ticket_disabled", error!.Error);
        Assert.Contains("CardTicket", error.Message);
    }

    [Fact]
    public async Task The_report_route_is_anonymous_and_answers_a_bad_body_with_a_JSON_400_through_the_worker()
    {
        var app = await fixture.AppAsync(azurite);

        var response = await app.Host.SendAsync(new HttpRequestMessage(HttpMethod.Post, new Uri("/api/" + ApiRoutes.ReportPath, UriKind.Relative))
        {
            Content = new StringContent("not json", System.Text.Encoding.UTF8, "application/json"),
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<ApiError>();
        Assert.Equal("body_malformed", error!.Error);
    }

    [Fact]
    public async Task The_diagnose_route_answers_with_its_JSON_diagnosis_through_the_worker()
    {
        var app = await fixture.AppAsync(azurite);

        // The worker checks the key itself (route diagnose).
        var response = await app.Host.SendAsync(FunctionsApp.Keyed(HttpMethod.Get, "/api/" + ApiRoutes.DiagnosePath + HttpRequests.ForPage("https://example.com/a#share")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var diagnosis = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal("https://example.com/a", diagnosis.GetProperty("signedUrl").GetString());
        Assert.Contains(diagnosis.GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString() == "url_fragment");
    }
}
