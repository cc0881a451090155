using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Functions.Tests.Refresh;
using WxShare.Http;
using WxShare.Operations;
using WxShare.Platform;
using WxShare.Storage;
using WxShare.WeChatSandbox;
using WxShare.WeChatSandbox.Platform;

namespace WxShare.Functions.Tests.Platform;

/// <summary>
/// GET /api/health with a third-party platform (issue 20, item 4): each platform's status and reason, verify ticket age,
/// component token times, authorizer counts and last component error in the detailed view; name, status and reason only
/// in the anonymous one; each authorizer among the accounts with its platform; never a credential; 503 on a storage outage.
/// Through the Functions adapter (<see cref="OperatorCalls"/>) on the fake clock, and over HTTP on the standalone host.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PlatformHealthTests(AzuriteFixture azurite)
{
    private const string Name = PlatformTestSettings.Name;

    [Fact]
    public async Task Without_a_verify_ticket_the_platform_is_degraded_and_unhealthy_once_an_authorization_waits_on_it()
    {
        await using var context = await PlatformScenario.StartAsync(azurite);
        await context.TickAsync(); // the component refresh asks for a push and waits

        var answer = await OperatorCalls.HealthAsync(context.Services);

        Assert.Equal(200, answer.Status); // the official account signs; the platform serves no one yet
        Assert.Equal(HealthStatus.Degraded, answer.Json.GetProperty("status").GetString());
        var platform = Assert.Single(answer.Json.GetProperty("platforms").EnumerateArray());
        Assert.Equal(Name, platform.GetProperty("name").GetString());
        Assert.Equal(PlatformSandboxDefaults.ComponentAppId, platform.GetProperty("componentAppId").GetString());
        Assert.Equal(HealthStatus.Degraded, platform.GetProperty("status").GetString());
        Assert.StartsWith("No valid component token: no component_verify_ticket has been received yet", platform.GetProperty("reason").GetString());
        Assert.Contains($"/api/platform/{Name}/events", platform.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, platform.GetProperty("verifyTicket").ValueKind);
        Assert.Equal(JsonValueKind.Null, platform.GetProperty("componentToken").ValueKind);
        AssertCounts(platform, authorized: 0, unauthorized: 0, pending: 0);
        Assert.Equal("ComponentToken", platform.GetProperty("lastError").GetProperty("call").GetString());
        Assert.Contains("api_start_push_ticket", platform.GetProperty("lastError").GetProperty("message").GetString());

        // An account consents before any push: its code cannot be exchanged, and it waits on the platform.
        Assert.Equal(PlatformEventEffect.ExchangeDeferred, (await context.AuthorizeAsync(PlatformScenario.AuthorizerAppId(1))).Effect);
        answer = await OperatorCalls.HealthAsync(context.Services);

        Assert.Equal(503, answer.Status);
        Assert.Equal(HealthStatus.Unhealthy, answer.Json.GetProperty("status").GetString());
        platform = answer.Json.GetProperty("platforms")[0];
        Assert.Equal(HealthStatus.Unhealthy, platform.GetProperty("status").GetString());
        Assert.Contains("the tokens of its 1 account(s) cannot be refreshed", platform.GetProperty("reason").GetString());
        Assert.Contains("1 authorization(s) wait for their code exchange", platform.GetProperty("reason").GetString());
        AssertCounts(platform, authorized: 0, unauthorized: 0, pending: 1);
    }

    [Fact]
    public async Task After_a_push_the_platform_is_healthy_with_the_ticket_age_and_token_times_and_unhealthy_when_the_ticket_passes_12_hours()
    {
        await using var context = await PlatformScenario.StartAsync(azurite);
        var appId = PlatformScenario.AuthorizerAppId(1);
        await context.PushTicketAsync(); // the receiver has the engine fetch the component token at once
        await context.AuthorizeAsync(appId);
        await context.TickAsync();
        context.Time.Advance(TimeSpan.FromMinutes(10));

        var answer = await OperatorCalls.HealthAsync(context.Services);

        Assert.Equal(200, answer.Status);
        Assert.Equal(HealthStatus.Healthy, answer.Json.GetProperty("status").GetString());
        var platform = answer.Json.GetProperty("platforms")[0];
        Assert.Equal(HealthStatus.Healthy, platform.GetProperty("status").GetString());
        Assert.Equal("The component token is valid for 110 min; the verify ticket is 10 min old.", platform.GetProperty("reason").GetString());
        Assert.Equal(WxShareTestContext.Start, platform.GetProperty("verifyTicket").GetProperty("receivedAt").GetDateTimeOffset());
        Assert.Equal(600, platform.GetProperty("verifyTicket").GetProperty("ageSeconds").GetInt64());
        var token = platform.GetProperty("componentToken");
        Assert.Equal(WxShareTestContext.Start, token.GetProperty("fetchedAt").GetDateTimeOffset());
        Assert.Equal(WxShareTestContext.Start.AddSeconds(7200), token.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal(7200 - 600, token.GetProperty("remainingSeconds").GetInt64());
        AssertCounts(platform, authorized: 1, unauthorized: 0, pending: 0);
        Assert.Equal(JsonValueKind.Null, platform.GetProperty("lastError").ValueKind);

        // The authorizer is among the accounts, with its platform, kind and credential times.
        var accounts = answer.Json.GetProperty("accounts").EnumerateArray().ToDictionary(a => a.GetProperty("appId").GetString()!);
        var authorizer = accounts[appId];
        Assert.Equal(AccountHealth.AuthorizerKind, authorizer.GetProperty("kind").GetString());
        Assert.Equal(Name, authorizer.GetProperty("platform").GetString());
        Assert.Equal(HealthStatus.Healthy, authorizer.GetProperty("status").GetString());
        Assert.Equal(7200 - 600, authorizer.GetProperty("tickets").GetProperty("jsapi").GetProperty("remainingSeconds").GetInt64());
        Assert.True(authorizer.GetProperty("accessToken").GetProperty("remainingSeconds").GetInt64() > 0);
        Assert.Equal(AccountHealth.OfficialAccountKind, accounts[SandboxDefaults.AppId].GetProperty("kind").GetString());
        Assert.False(accounts[SandboxDefaults.AppId].TryGetProperty("platform", out _));

        // No push for 13 hours (and no tick): the ticket is past WeChat's 12 hours, the token has expired, the account waits on it.
        context.Time.Advance(TimeSpan.FromHours(13) - TimeSpan.FromMinutes(10));
        answer = await OperatorCalls.HealthAsync(context.Services);

        Assert.Equal(503, answer.Status);
        platform = answer.Json.GetProperty("platforms")[0];
        Assert.Equal(HealthStatus.Unhealthy, platform.GetProperty("status").GetString());
        Assert.Contains("is 13 h old, over WeChat's 12 hours (61005)", platform.GetProperty("reason").GetString());
        Assert.Contains("the tokens of its 1 account(s) cannot be refreshed", platform.GetProperty("reason").GetString());
        Assert.Equal(13 * 3600, platform.GetProperty("verifyTicket").GetProperty("ageSeconds").GetInt64());
        Assert.Equal(0, platform.GetProperty("componentToken").GetProperty("remainingSeconds").GetInt64());
        var anonymous = await AnonymousHealthAsync(context);
        Assert.Equal("No valid component token: the verify ticket is older than 12 hours.", anonymous.Json.GetProperty("platforms")[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Two_authorizers_one_withdrawn_are_counted_and_no_body_holds_a_credential()
    {
        var scopedKey = TestKeys.Secret('s');
        await using var context = await PlatformScenario.StartAsync(azurite, s => TestKeys.Add(s, "shop", scopedKey, routes: "ops", accounts: SandboxDefaults.AppId));
        var (kept, withdrawn) = (PlatformScenario.AuthorizerAppId(1), PlatformScenario.AuthorizerAppId(2));
        await context.PushTicketAsync();
        await context.AuthorizeAsync(kept);
        await context.AuthorizeAsync(withdrawn);
        await context.TickAsync();
        var refreshTokens = new[] { context.Sandbox.Platform.RefreshTokenOf(kept)!, context.Sandbox.Platform.RefreshTokenOf(withdrawn)! };
        Assert.Equal(PlatformEventEffect.AuthorizerUnauthorized, (await context.UnauthorizeAsync(withdrawn)).Effect);

        var answer = await OperatorCalls.HealthAsync(context.Services);
        var anonymous = await AnonymousHealthAsync(context);

        Assert.Equal(200, answer.Status);
        var platform = answer.Json.GetProperty("platforms")[0];
        AssertCounts(platform, authorized: 1, unauthorized: 1, pending: 0);
        Assert.Equal(HealthStatus.Healthy, platform.GetProperty("status").GetString());
        // Health read the rows: the withdrawn account is no longer among those served, the other is.
        var appIds = answer.Json.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("appId").GetString()).ToArray();
        Assert.Contains(kept, appIds);
        Assert.DoesNotContain(withdrawn, appIds);
        // A key scoped to one account sees that account only, and no platform (whose authorizers no key setting can name).
        var scopedRequest = OperatorCalls.Request(context.Services, "GET", "/api/health");
        scopedRequest.Headers.Authorization = "Bearer " + scopedKey;
        var scoped = await OperatorCalls.RunAsync(scopedRequest, new HealthFunction(context.Get<HttpEdge>()).Run);
        Assert.Equal([SandboxDefaults.AppId], scoped.Json.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("appId").GetString()));
        Assert.False(scoped.Json.TryGetProperty("platforms", out _));

        var store = context.Get<CredentialStore>();
        var secrets = new List<string>
        {
            context.Sandbox.Platform.LatestVerifyTicket()!,
            (await store.GetAsync(context.Platform().ComponentAccount.StorageKey, CancellationToken.None)).AccessToken!.Value,
            PlatformSandboxDefaults.ComponentAppSecret, PlatformSandboxDefaults.EncodingAESKey, PlatformSandboxDefaults.Token,
        };
        secrets.AddRange(refreshTokens);
        foreach (var appId in new[] { kept, withdrawn })
        {
            var row = await store.GetAsync(context.Platform().AuthorizerAccount(appId).StorageKey, CancellationToken.None);
            secrets.AddRange(new[] { row.AccessToken?.Value, row.JsapiTicket?.Value }.OfType<string>());
        }
        Assert.True(secrets.Count >= 9, "The authorizers' tokens and tickets were not stored.");
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, answer.Body);
            Assert.DoesNotContain(secret, anonymous.Body);
        }
    }

    [Fact]
    public async Task The_anonymous_view_gives_each_platform_only_its_name_status_and_a_reason_while_the_key_sees_the_error_and_its_advice()
    {
        // A wrong AppSecret: WeChat answers the component token call with 40125 and a rid.
        await using var context = await PlatformScenario.StartAsync(azurite, s => s[$"Platforms:{Name}:ComponentAppSecret"] = "wrong0component0secret0000000000");
        await context.PushTicketAsync();
        await context.TickAsync(); // the official account's credentials

        var detailed = await OperatorCalls.HealthAsync(context.Services);
        var anonymous = await AnonymousHealthAsync(context);

        var error = detailed.Json.GetProperty("platforms")[0].GetProperty("lastError");
        Assert.Equal(40125, error.GetProperty("errcode").GetInt32());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("advice").GetProperty("summary").GetString()));
        var rid = error.GetProperty("rid").GetString()!;
        var errmsg = error.GetProperty("message").GetString()!;
        Assert.Contains(rid, errmsg);

        Assert.Equal(detailed.Status, anonymous.Status);
        Assert.Equal(HealthStatus.Degraded, anonymous.Json.GetProperty("status").GetString());
        var platform = Assert.Single(anonymous.Json.GetProperty("platforms").EnumerateArray());
        Assert.Equal(["name", "status", "reason"], platform.EnumerateObject().Select(p => p.Name));
        Assert.Equal(Name, platform.GetProperty("name").GetString());
        Assert.Equal(HealthStatus.Degraded, platform.GetProperty("status").GetString());
        Assert.Equal("No valid component token: none has been fetched yet. The last component token refresh failed with errcode 40125.",
            platform.GetProperty("reason").GetString());
        foreach (var hidden in new[] { errmsg, rid, PlatformSandboxDefaults.ComponentAppId, "receivedAt", "ageSeconds", "remainingSeconds", "advice", "lastError" })
            Assert.DoesNotContain(hidden, anonymous.Body);
    }

    [Fact]
    public async Task Both_views_on_the_standalone_host_report_the_platform_after_a_real_push()
    {
        await using var bed = await PlatformTestBed.StartAsync(azurite);
        Assert.True((await bed.Sandbox.PlatformPusher.PushVerifyTicketAsync(CancellationToken.None)).Succeeded);

        using var anonymous = await bed.Host.Client.GetAsync("/api/health");
        var publicPlatform = JsonDocument.Parse(await anonymous.Content.ReadAsStringAsync()).RootElement.GetProperty("platforms")[0];
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/health");
        request.Headers.Authorization = TestKeys.Bearer(PlatformTestBed.OperatorKey);
        using var keyed = await bed.Host.Client.SendAsync(request);
        var platform = JsonDocument.Parse(await keyed.Content.ReadAsStringAsync()).RootElement.GetProperty("platforms")[0];

        Assert.NotEqual(HttpStatusCode.InternalServerError, keyed.StatusCode);
        Assert.Equal((Name, HealthStatus.Healthy, "The component token is valid."),
            (publicPlatform.GetProperty("name").GetString(), publicPlatform.GetProperty("status").GetString(), publicPlatform.GetProperty("reason").GetString()));
        Assert.Equal(HealthStatus.Healthy, platform.GetProperty("status").GetString());
        Assert.InRange(platform.GetProperty("verifyTicket").GetProperty("ageSeconds").GetInt64(), 0, 60);
        Assert.InRange(platform.GetProperty("componentToken").GetProperty("remainingSeconds").GetInt64(), 7100, 7200);
    }

    [Fact]
    public async Task With_a_platform_a_storage_outage_still_answers_503_storage_unavailable()
    {
        await using var azuriteProcess = await AzuriteProcess.StartAsync();
        await using var context = await WxShareTestContext.StartAsync(azuriteProcess, s => PlatformTestSettings.Add(s));
        await context.TickAsync();
        Assert.Equal(HealthStatus.Degraded, (await OperatorCalls.HealthAsync(context.Services)).Json.GetProperty("platforms")[0].GetProperty("status").GetString());
        azuriteProcess.Kill();

        foreach (var answer in new[] { await OperatorCalls.HealthAsync(context.Services), await AnonymousHealthAsync(context) })
        {
            Assert.Equal((503, "storage_unavailable"), (answer.Status, answer.Error));
            Assert.DoesNotContain("   at ", answer.Body);
        }
    }

    private static void AssertCounts(JsonElement platform, int authorized, int unauthorized, int pending)
    {
        var counts = platform.GetProperty("authorizers");
        Assert.Equal((authorized, unauthorized, pending),
            (counts.GetProperty("authorized").GetInt32(), counts.GetProperty("unauthorized").GetInt32(), counts.GetProperty("pendingExchange").GetInt32()));
    }

    /// <summary>GET /api/health through its function class without a key: the public view.</summary>
    private static Task<OperatorAnswer> AnonymousHealthAsync(WxShareTestContext context)
    {
        var request = OperatorCalls.Request(context.Services, "GET", "/api/health");
        request.Headers.Authorization = default;
        return OperatorCalls.RunAsync(request, new HealthFunction(context.Get<HttpEdge>()).Run);
    }
}
