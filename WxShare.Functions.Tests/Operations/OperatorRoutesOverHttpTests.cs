using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using WxShare.Functions.Tests.EndToEnd;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Host;
using WxShare.Http;
using WxShare.Operations;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Operations;

/// <summary>The operator routes on the standalone host over real HTTP: keys of Keys__* (Bearer only, scoped by route and account) checked by the edge both hosts share.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class OperatorRoutesOverHttpTests(AzuriteFixture azurite)
{
    private const string MenusKey = "menus-key-0123456789abcdefghijklmnopqrstuv";
    private const string CrmKey = "crm-key-ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210";
    private const string Page = "https://m.example.com/a";

    private const string ShopAppId = "wx00000000000000b2";

    /// <summary>menus and crm reach every route of every account unless <paramref name="keys"/> says otherwise.</summary>
    private static Task<StandaloneHost> StartAsync(AzuriteFixture azurite, Action<Dictionary<string, string?>>? keys = null, bool withKeys = true) =>
        StandaloneHost.StartAsync(azurite,
            settings: settings =>
            {
                settings["WeChat:Relay"] = "true";
                settings["WeChat:TokenApi"] = "classic"; // the relay's replacement is then the classic call, unrationed
                if (withKeys)
                {
                    TestKeys.AddOperator(settings, "menus", MenusKey);
                    TestKeys.AddOperator(settings, "crm", CrmKey);
                }
                keys?.Invoke(settings);
                // As an operator chasing a problem might: ASP.NET Core's request lines print the URL, a key in the query included.
                settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace";
            },
            // Every line at every level, to prove no key or token reaches any of them.
            configure: builder => builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddFakeLogging());

    public static TheoryData<string, string> ProtectedRoutes() => new()
    {
        { "GET", WxShareHost.Api(ApiRoutes.TokenPath) },
        { "POST", WxShareHost.Api(ApiRoutes.TokenRefreshPath) },
        { "POST", WxShareHost.Api(ApiRoutes.RefreshNowPath) },
        { "GET", WxShareHost.Api(ApiRoutes.QuotaPath) },
        { "GET", WxShareHost.Api(ApiRoutes.RidPath) },
        { "POST", WxShareHost.Api(ApiRoutes.ClearQuotaPath) },
    };

    private static HttpRequestMessage Call(string method, string path, string? bearer = null, string? codeKey = null, string? body = null, string appId = SandboxDefaults.AppId)
    {
        var uri = path + "?appId=" + appId + (codeKey is null ? "" : "&code=" + Uri.EscapeDataString(codeKey));
        var request = new HttpRequestMessage(new HttpMethod(method), uri);
        if (bearer is not null)
            request.Headers.Authorization = TestKeys.Bearer(bearer);
        if (body is not null)
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        return request;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Json, string Body)> SendAsync(StandaloneHost host, HttpRequestMessage request)
    {
        using var response = await host.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonDocument.Parse(body).RootElement.Clone(), body);
    }

    [Theory]
    [MemberData(nameof(ProtectedRoutes))]
    public async Task A_missing_or_wrong_key_is_401_a_key_in_the_query_400_and_none_reaches_anything(string method, string path)
    {
        await using var host = await StartAsync(azurite);
        Assert.Equal(HttpStatusCode.OK, (await host.WaitForConfigAsync(Page)).StatusCode);
        host.Sandbox.State.ResetCalls();

        var missing = await SendAsync(host, Call(method, path));
        var wrongBearer = await SendAsync(host, Call(method, path, bearer: MenusKey + "x"));
        var oldHeader = new HttpRequestMessage(new HttpMethod(method), path + "?appId=" + SandboxDefaults.AppId) { Headers = { { "x-functions-key", MenusKey } } };
        var byOldHeader = await SendAsync(host, oldHeader);
        var inQuery = await SendAsync(host, Call(method, path, bearer: MenusKey, codeKey: MenusKey));

        Assert.Equal((HttpStatusCode.Unauthorized, "key_missing"), (missing.Status, missing.Json.GetProperty("error").GetString()));
        Assert.Contains("Authorization: Bearer", missing.Json.GetProperty("message").GetString());
        Assert.Equal((HttpStatusCode.Unauthorized, "key_invalid"), (wrongBearer.Status, wrongBearer.Json.GetProperty("error").GetString()));
        // The Functions host's old header is no longer read: only Bearer.
        Assert.Equal((HttpStatusCode.Unauthorized, "key_missing"), (byOldHeader.Status, byOldHeader.Json.GetProperty("error").GetString()));
        Assert.Equal((HttpStatusCode.BadRequest, "key_in_query"), (inQuery.Status, inQuery.Json.GetProperty("error").GetString()));
        Assert.DoesNotContain(MenusKey, inQuery.Body);
        Assert.Equal(new SandboxCallCounts(0, 0, 0), host.Sandbox.State.Calls);
    }

    [Fact]
    public async Task The_right_key_works_as_a_Bearer_is_refused_in_the_query_and_the_log_names_the_key_never_its_value_or_the_token()
    {
        await using var host = await StartAsync(azurite);
        Assert.Equal(HttpStatusCode.OK, (await host.WaitForConfigAsync(Page)).StatusCode);
        var tokenRoute = WxShareHost.Api(ApiRoutes.TokenPath);

        var byHeader = await SendAsync(host, Call("GET", tokenRoute, bearer: MenusKey));
        var byCode = await SendAsync(host, Call("GET", tokenRoute, codeKey: CrmKey));
        var byKey = await SendAsync(host, new HttpRequestMessage(HttpMethod.Get, tokenRoute + "?key=" + CrmKey));

        Assert.Equal(HttpStatusCode.OK, byHeader.Status);
        Assert.Equal((HttpStatusCode.BadRequest, "key_in_query"), (byCode.Status, byCode.Json.GetProperty("error").GetString()));
        Assert.Equal((HttpStatusCode.BadRequest, "key_in_query"), (byKey.Status, byKey.Json.GetProperty("error").GetString()));
        var token = byHeader.Json.GetProperty("accessToken").GetString()!;
        Assert.True(host.Sandbox.State.IsAccessTokenValid(SandboxDefaults.AppId, token));

        var lines = host.App.Services.GetRequiredService<FakeLogCollector>().GetSnapshot().Select(l => l.Message + " " + l.Exception).ToArray();
        Assert.Contains(lines, l => l.Contains($"Key menus called GET {tokenRoute}"));
        Assert.Contains(lines, l => l.Contains($"to key menus"));
        Assert.DoesNotContain(lines, l => l.Contains(MenusKey) || l.Contains(CrmKey) || l.Contains(token));
    }

    [Fact]
    public async Task Relay_refresh_and_refresh_now_answer_over_http_with_a_key()
    {
        await using var host = await StartAsync(azurite);
        Assert.Equal(HttpStatusCode.OK, (await host.WaitForConfigAsync(Page)).StatusCode);
        var token = (await SendAsync(host, Call("GET", WxShareHost.Api(ApiRoutes.TokenPath), MenusKey))).Json.GetProperty("accessToken").GetString()!;
        host.Sandbox.State.ResetCalls();

        // Just fetched at start-up: a token this fresh is not replaced.
        var tooNew = await SendAsync(host, Call("POST", WxShareHost.Api(ApiRoutes.TokenRefreshPath), MenusKey, body: OperatorCalls.RejectedTokenBody(token)));
        var refreshNow = await SendAsync(host, Call("POST", WxShareHost.Api(ApiRoutes.RefreshNowPath), bearer: CrmKey));

        Assert.Equal((HttpStatusCode.Conflict, "token_too_new"), (tooNew.Status, tooNew.Json.GetProperty("error").GetString()));
        Assert.Equal(HttpStatusCode.OK, refreshNow.Status);
        Assert.Equal("refreshed", refreshNow.Json.GetProperty("result").GetString());
        Assert.Equal(new SandboxCallCounts(Token: 1, StableToken: 0, Ticket: 1), host.Sandbox.State.Calls);
    }

    [Fact]
    public async Task Health_is_anonymous_over_http_and_shows_no_credential()
    {
        await using var host = await StartAsync(azurite);
        Assert.Equal(HttpStatusCode.OK, (await host.WaitForConfigAsync(Page)).StatusCode);
        var token = (await SendAsync(host, Call("GET", WxShareHost.Api(ApiRoutes.TokenPath), MenusKey))).Json.GetProperty("accessToken").GetString()!;

        var health = await SendAsync(host, new HttpRequestMessage(HttpMethod.Get, WxShareHost.Api(ApiRoutes.HealthPath)));

        Assert.Equal(HttpStatusCode.OK, health.Status);
        Assert.Equal(HealthStatus.Healthy, health.Json.GetProperty("status").GetString());
        // Anonymous: status and reason only; the detail (relay, times, last error) needs a key with route ops.
        Assert.False(health.Json.GetProperty("accounts")[0].TryGetProperty("relay", out _));
        Assert.False(health.Json.GetProperty("accounts")[0].TryGetProperty("tickets", out _));
        var detailed = await SendAsync(host, new HttpRequestMessage(HttpMethod.Get, WxShareHost.Api(ApiRoutes.HealthPath)) { Headers = { Authorization = TestKeys.Bearer(MenusKey) } });
        Assert.True(detailed.Json.GetProperty("accounts")[0].GetProperty("relay").GetBoolean());
        Assert.DoesNotContain(token, detailed.Body);
        Assert.DoesNotContain(token, health.Body);
        Assert.DoesNotContain(host.Sandbox.State.CurrentTicket(SandboxDefaults.AppId)!, health.Body);
        Assert.DoesNotContain(SandboxDefaults.AppSecret, health.Body);
    }

    [Fact]
    public async Task A_host_without_keys_refuses_every_key_and_says_how_to_set_them()
    {
        await using var host = await StartAsync(azurite, withKeys: false);

        var answer = await SendAsync(host, Call("GET", WxShareHost.Api(ApiRoutes.TokenPath), bearer: MenusKey));
        var none = await SendAsync(host, Call("GET", WxShareHost.Api(ApiRoutes.TokenPath)));

        Assert.Equal((HttpStatusCode.Unauthorized, "key_invalid"), (answer.Status, answer.Json.GetProperty("error").GetString()));
        Assert.Contains("Keys__<name>__Secret", none.Json.GetProperty("message").GetString());
    }

    [Fact]
    public async Task WeChats_diagnostics_answer_over_http_with_a_key_and_no_secret_reaches_an_answer_or_a_log_line()
    {
        await using var host = await StartAsync(azurite);
        Assert.Equal(HttpStatusCode.OK, (await host.WaitForConfigAsync(Page)).StatusCode);

        var quota = await SendAsync(host, Call("GET", WxShareHost.Api(ApiRoutes.QuotaPath), MenusKey));
        // A getticket that fails: WeChat's record of it holds the stored token in its URL.
        host.Sandbox.State.SetFault(new SandboxFault(SandboxFaultKind.ErrorCode, SandboxEndpoint.Ticket, ErrorCode: 45009, RemainingCalls: 1));
        Assert.Equal(HttpStatusCode.BadGateway, (await SendAsync(host, Call("POST", WxShareHost.Api(ApiRoutes.RefreshNowPath), MenusKey))).Status);
        var ticketCall = host.Sandbox.State.Rids.All.Last(r => r.RequestUrl.StartsWith("/cgi-bin/ticket/getticket", StringComparison.Ordinal));
        var rid = await SendAsync(host, new HttpRequestMessage(HttpMethod.Get,
            $"{WxShareHost.Api(ApiRoutes.RidPath)}?appId={SandboxDefaults.AppId}&rid={ticketCall.Rid}") { Headers = { Authorization = TestKeys.Bearer(MenusKey) } });
        var unconfirmed = await SendAsync(host, Call("POST", WxShareHost.Api(ApiRoutes.ClearQuotaPath), MenusKey));
        var cleared = await SendAsync(host, Call("POST", WxShareHost.Api(ApiRoutes.ClearQuotaPath), bearer: CrmKey, body: OperatorCalls.Confirmed));

        Assert.Equal(HttpStatusCode.OK, quota.Status);
        Assert.Equal(1, quota.Json.GetProperty("calls")[0].GetProperty("used").GetInt64());
        Assert.Equal(HttpStatusCode.OK, rid.Status);
        Assert.Contains("access_token=***", rid.Json.GetProperty("requestUrl").GetString());
        Assert.Equal((HttpStatusCode.BadRequest, "confirm_required"), (unconfirmed.Status, unconfirmed.Json.GetProperty("error").GetString()));
        Assert.Equal(HttpStatusCode.OK, cleared.Status);
        Assert.Equal(1, host.Sandbox.State.Diagnostics.ClearQuotaCalls);

        var token = (await SendAsync(host, Call("GET", WxShareHost.Api(ApiRoutes.TokenPath), MenusKey))).Json.GetProperty("accessToken").GetString()!;
        var secrets = new[] { SandboxDefaults.AppSecret, token, host.Sandbox.State.CurrentTicket(SandboxDefaults.AppId)!, MenusKey, CrmKey };
        Assert.Contains(token, ticketCall.RequestUrl);
        var lines = host.App.Services.GetRequiredService<FakeLogCollector>().GetSnapshot().Select(l => l.Message + " " + l.Exception).ToArray();
        Assert.Contains(lines, l => l.Contains($"Key crm clears WeChat's quota of {SandboxDefaults.AppId}"));
        foreach (var answer in new[] { quota.Body, rid.Body, unconfirmed.Body, cleared.Body }.Concat(lines))
            Assert.False(secrets.Any(s => answer.Contains(s, StringComparison.Ordinal)), "A secret, token, ticket or key is in an answer or a log line (not shown).");
    }

    /// <summary>Issue 17: a relay key read every account's token and could call every operator route.</summary>
    [Fact]
    public async Task A_key_scoped_to_one_account_and_the_relay_is_403_key_scope_elsewhere_naming_the_key()
    {
        const string ShopKey = "shop-relay-key-0123456789abcdefghijklmnop";
        await using var host = await StartAsync(azurite, keys: s =>
        {
            // A second account, which the key is scoped to; the default account is out of its reach.
            s["Accounts:shop:AppId"] = ShopAppId;
            s["Accounts:shop:AppSecret"] = "shop-secret-00000000000000000000000";
            s["Accounts:shop:AllowedDomains"] = "shop.example.org";
            s["Accounts:shop:Relay"] = "true";
            TestKeys.Add(s, "shop-relay", ShopKey, routes: "relay", accounts: "shop");
        });
        Assert.Equal(HttpStatusCode.OK, (await host.WaitForConfigAsync(Page)).StatusCode);
        host.Sandbox.State.ResetCalls();

        var otherAccount = await SendAsync(host, Call("GET", WxShareHost.Api(ApiRoutes.TokenPath), bearer: ShopKey));
        var otherRoute = await SendAsync(host, Call("POST", WxShareHost.Api(ApiRoutes.RefreshNowPath), bearer: ShopKey, appId: ShopAppId));
        var otherRouteAndAccount = await SendAsync(host, Call("GET", WxShareHost.Api(ApiRoutes.QuotaPath), bearer: ShopKey));

        foreach (var refused in new[] { otherAccount, otherRoute, otherRouteAndAccount })
        {
            Assert.Equal((HttpStatusCode.Forbidden, "key_scope"), (refused.Status, refused.Json.GetProperty("error").GetString()));
            Assert.Contains("'shop-relay'", refused.Json.GetProperty("message").GetString());
            Assert.DoesNotContain(ShopKey, refused.Body);
        }
        Assert.Equal(new SandboxCallCounts(0, 0, 0), host.Sandbox.State.Calls);
        var lines = host.App.Services.GetRequiredService<FakeLogCollector>().GetSnapshot().Select(l => l.Message).ToArray();
        Assert.Contains(lines, l => l.Contains("shop-relay") && l.Contains("account default"));
        Assert.DoesNotContain(lines, l => l.Contains(ShopKey));
    }

    /// <summary>Rotation without downtime: the old and the next secret both work as the same key until the old one is removed.</summary>
    [Fact]
    public async Task Both_the_secret_and_the_next_secret_work_as_the_same_key()
    {
        const string Next = "menus-next-key-0123456789abcdefghijklmnopq";
        await using var host = await StartAsync(azurite, keys: s => s["Keys:menus:NextSecret"] = Next);
        Assert.Equal(HttpStatusCode.OK, (await host.WaitForConfigAsync(Page)).StatusCode);

        var old = await SendAsync(host, Call("GET", WxShareHost.Api(ApiRoutes.TokenPath), bearer: MenusKey));
        var next = await SendAsync(host, Call("GET", WxShareHost.Api(ApiRoutes.TokenPath), bearer: Next));

        Assert.Equal(HttpStatusCode.OK, old.Status);
        Assert.Equal(HttpStatusCode.OK, next.Status);
        var lines = host.App.Services.GetRequiredService<FakeLogCollector>().GetSnapshot().Select(l => l.Message).ToArray();
        Assert.Equal(2, lines.Count(l => l.Contains("to key menus")));
    }
}
