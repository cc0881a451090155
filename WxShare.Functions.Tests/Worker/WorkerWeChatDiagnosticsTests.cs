using System.Net;
using System.Text.Json;
using WxShare.Functions.Tests.FunctionsHost.Protocol;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Worker;

/// <summary>WeChat's quota, rid and clear-quota routes through the real worker, after its start-up timer invocation.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class WorkerWeChatDiagnosticsTests(AzuriteFixture azurite, RefreshedFunctionsAppFixture fixture) : IClassFixture<RefreshedFunctionsAppFixture>
{
    private const string AppQuery = "?appId=" + SandboxDefaults.AppId;

    private static async Task<(HttpStatusCode Status, JsonElement Json, string Body)> SendAsync(FunctionsApp app, HttpMethod method, string path, string? body = null)
    {
        using var request = FunctionsApp.Keyed(method, path);
        if (body is not null)
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        var response = await app.Host.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), text);
    }

    [Fact]
    public async Task The_timer_reads_the_quota_and_the_three_routes_answer_without_a_secret()
    {
        var app = await fixture.AppAsync(azurite);
        Assert.Equal(StatusResult.Types.Status.Success, fixture.StartupTick.Result.Status);
        // The start-up tick read the quota once: the stable token path and getticket.
        Assert.Equal(2, app.Sandbox.State.Diagnostics.QuotaGetCalls);

        var quota = await SendAsync(app, HttpMethod.Get, "/api/ops/quota" + AppQuery);
        // A getticket that fails: WeChat's record of it holds the stored token in its URL.
        app.Sandbox.State.SetFault(new SandboxFault(SandboxFaultKind.ErrorCode, SandboxEndpoint.Ticket, ErrorCode: 45009, RemainingCalls: 1));
        Assert.Equal(HttpStatusCode.BadGateway, (await SendAsync(app, HttpMethod.Post, "/api/ops/refresh" + AppQuery)).Status);
        var ticketCall = app.Sandbox.State.Rids.All.Last(r => r.RequestUrl.StartsWith("/cgi-bin/ticket/getticket", StringComparison.Ordinal));
        var rid = await SendAsync(app, HttpMethod.Get, $"/api/ops/rid{AppQuery}&rid={ticketCall.Rid}");
        var badRid = await SendAsync(app, HttpMethod.Get, $"/api/ops/rid{AppQuery}&rid=x");
        var unconfirmed = await SendAsync(app, HttpMethod.Post, "/api/ops/clear-quota" + AppQuery, "{}");
        var cleared = await SendAsync(app, HttpMethod.Post, "/api/ops/clear-quota" + AppQuery, OperatorCalls.Confirmed);

        Assert.Equal(HttpStatusCode.OK, quota.Status);
        Assert.Equal("/cgi-bin/stable_token", quota.Json.GetProperty("calls")[0].GetProperty("cgiPath").GetString());
        Assert.Equal(HttpStatusCode.OK, rid.Status);
        Assert.Equal("/cgi-bin/ticket/getticket?access_token=***&type=jsapi", rid.Json.GetProperty("requestUrl").GetString());
        Assert.Equal((HttpStatusCode.BadRequest, "rid_invalid"), (badRid.Status, badRid.Json.GetProperty("error").GetString()));
        Assert.Equal((HttpStatusCode.BadRequest, "confirm_required"), (unconfirmed.Status, unconfirmed.Json.GetProperty("error").GetString()));
        Assert.Equal(HttpStatusCode.OK, cleared.Status);
        Assert.Equal(1, cleared.Json.GetProperty("clearsThisMonth").GetInt32());

        var ticket = app.Sandbox.State.CurrentTicket(SandboxDefaults.AppId)!;
        var token = System.Web.HttpUtility.ParseQueryString(new Uri(new Uri("http://wechat/"), ticketCall.RequestUrl).Query)["access_token"]!;
        var everything = string.Join('\n', quota.Body, rid.Body, cleared.Body)
            + string.Join('\n', app.Host.Logs.Select(l => $"{l.Message} {l.Exception?.Message} {l.Properties}")) + app.Host.WorkerOutput;
        Assert.DoesNotContain(SandboxDefaults.AppSecret, everything);
        Assert.DoesNotContain(ticket, everything);
        Assert.DoesNotContain(token, everything);
        Assert.DoesNotContain("access_token=", everything.Replace("access_token=***", "", StringComparison.Ordinal));
    }
}
