using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using WxShare.Accounts;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Operations;
using WxShare.Platform;
using WxShare.Refresh;
using WxShare.Storage;
using WxShare.WeChatSandbox.Platform;

namespace WxShare.Functions.Tests.Platform;

/// <summary>
/// What the platform's refresh recovers from without an operator, on Azurite, the sandbox and the fake clock: a component
/// token another api_component_token ended (the sandbox ends it as WeChat does), and an authorization whose code
/// exchange failed when it came (retried by the tick while the code is valid, then marked for a new authorization).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PlatformRecoveryTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan AuthorizationCodeLifetime = TimeSpan.FromHours(1); // the sandbox's, as WeChat's

    [Fact]
    public async Task A_component_token_ended_behind_WxShares_back_is_fetched_once_more_and_the_authorizer_refresh_succeeds()
    {
        await using var context = await PlatformScenario.StartAsync(azurite);
        var appId = PlatformScenario.AuthorizerAppId(1);
        await context.PushTicketAsync();
        await context.AuthorizeAsync(appId);
        await context.Get<CredentialRefresher>().RefreshAllAsync(CancellationToken.None);
        var componentKey = context.Platform().ComponentAccount.StorageKey;
        var held = (await context.Get<CredentialStore>().GetAsync(componentKey, CancellationToken.None)).AccessToken!.Value;

        // Another api_component_token with the platform's secret and ticket: WeChat ends the token WxShare holds.
        var elsewhere = await FetchComponentTokenElsewhereAsync(context);
        Assert.NotEqual(held, elsewhere);
        var componentCalls = context.Sandbox.Platform.Calls["api_component_token"];
        var authorizerCalls = context.Sandbox.Platform.Calls.GetValueOrDefault("api_authorizer_token");

        var account = context.Platform().AuthorizerAccount(appId);
        var result = await context.Get<CredentialRefresher>().RefreshNowAsync(account, CancellationToken.None);

        Assert.Equal(RefreshResult.Refreshed, result);
        Assert.Equal(componentCalls + 1, context.Sandbox.Platform.Calls["api_component_token"]);
        Assert.Equal(authorizerCalls + 2, context.Sandbox.Platform.Calls["api_authorizer_token"]); // 40001, then the retry
        var component = await context.Get<CredentialStore>().GetAsync(componentKey, CancellationToken.None);
        Assert.True(component.AccessToken!.Value != held && component.AccessToken.Value != elsewhere, "The replacement component token is not stored.");
        var row = await context.Get<CredentialStore>().GetAsync(account.StorageKey, CancellationToken.None);
        Assert.Null(row.LastFailure);
        Assert.True(context.Sandbox.State.IsTicketValid(appId, row.JsapiTicket!.Value), "The authorizer's ticket is not WeChat's.");
        Assert.Contains(context.Logs.GetSnapshot(), l => l.Level == LogLevel.Warning && l.Message.Contains("refused the component token on AuthorizerToken"));
    }

    [Fact]
    public async Task An_authorization_whose_exchange_failed_is_exchanged_by_the_next_tick_once_a_component_token_is_there()
    {
        await using var context = await PlatformScenario.StartAsync(azurite);
        var appId = PlatformScenario.AuthorizerAppId(2);
        // The account consents before any verify ticket was pushed: no component token, the code is kept.
        Assert.Equal(PlatformEventEffect.ExchangeDeferred, (await context.AuthorizeAsync(appId)).Effect);
        await context.Get<CredentialRefresher>().RefreshAllAsync(CancellationToken.None);
        Assert.Equal(AuthorizerStatus.PendingExchange, (await AuthorizerRowAsync(context, appId)).Status); // still no token to exchange it with

        context.Time.Advance(TimeSpan.FromMinutes(20));
        await context.PushTicketAsync();
        var results = await context.Get<CredentialRefresher>().RefreshAllAsync(CancellationToken.None);

        var authorizer = await AuthorizerRowAsync(context, appId);
        Assert.Equal(AuthorizerStatus.Authorized, authorizer.Status);
        Assert.Equal(context.Sandbox.Platform.RefreshTokenOf(appId), authorizer.RefreshToken);
        Assert.Null(authorizer.PendingAuthorizationCode);
        Assert.Equal(1, context.Sandbox.Platform.Calls["api_query_auth"]);
        // Served from the same tick, with the token api_query_auth granted (no api_authorizer_token).
        var account = Assert.Single(context.Get<AccountRegistry>().WithAppId(appId));
        Assert.Equal(RefreshResult.Refreshed, results[account.Name]);
        Assert.Equal(0, context.Sandbox.Platform.Calls.GetValueOrDefault("api_authorizer_token"));
        var health = (await OperatorCalls.HealthAsync(context.Services)).Json.GetProperty("platforms")[0];
        Assert.Equal(HealthStatus.Healthy, health.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_pending_code_that_expires_unexchanged_is_marked_and_health_and_the_authorizers_route_say_authorize_again()
    {
        await using var context = await PlatformScenario.StartAsync(azurite);
        var appId = PlatformScenario.AuthorizerAppId(3);
        await context.AuthorizeAsync(appId);

        context.Time.Advance(AuthorizationCodeLifetime + TimeSpan.FromMinutes(1));
        await context.PushTicketAsync();
        await context.Get<CredentialRefresher>().RefreshAllAsync(CancellationToken.None);

        var authorizer = await AuthorizerRowAsync(context, appId);
        Assert.Equal(AuthorizerStatus.CodeExpired, authorizer.Status);
        Assert.Null(authorizer.PendingAuthorizationCode);
        Assert.Equal(0, context.Sandbox.Platform.Calls.GetValueOrDefault("api_query_auth")); // an expired code is not sent
        Assert.Empty(context.Get<AccountRegistry>().WithAppId(appId));
        Assert.Contains(context.Logs.GetSnapshot(), l => l.Level == LogLevel.Error && l.Message.Contains(appId)
                                                           && l.Message.Contains("/api/platform/saas/authorize"));

        var health = (await OperatorCalls.HealthAsync(context.Services)).Json.GetProperty("platforms")[0];
        Assert.Equal(HealthStatus.Degraded, health.GetProperty("status").GetString());
        Assert.Contains("1 authorization(s) lapsed", health.GetProperty("reason").GetString());
        Assert.Contains("authorizes again from a new link (/api/platform/saas/authorize)", health.GetProperty("reason").GetString());
        Assert.Equal((0, 1), (health.GetProperty("authorizers").GetProperty("pendingExchange").GetInt32(),
            health.GetProperty("authorizers").GetProperty("codeExpired").GetInt32()));

        var listed = await ListAuthorizersAsync(context);
        var entry = Assert.Single(listed.GetProperty("authorizers").EnumerateArray());
        Assert.Equal("CodeExpired", entry.GetProperty("status").GetString());
        Assert.Contains("authorize again from a new link (/api/platform/saas/authorize)", entry.GetProperty("lastError").GetString());

        // A new authorization replaces the lapsed one.
        Assert.Equal(PlatformEventEffect.AuthorizerStored, (await context.AuthorizeAsync(appId)).Effect);
        Assert.Equal(AuthorizerStatus.Authorized, (await AuthorizerRowAsync(context, appId)).Status);
    }

    [Fact]
    public async Task A_pending_code_WeChat_refuses_61010_is_marked_at_once_instead_of_retried_every_tick()
    {
        await using var context = await PlatformScenario.StartAsync(azurite);
        var appId = PlatformScenario.AuthorizerAppId(4);
        await context.AuthorizeAsync(appId);
        // The code is used up elsewhere (as the authorized redirect of a WxShare that lost its row would).
        await context.PushTicketAsync();
        var code = (await AuthorizerRowAsync(context, appId)).PendingAuthorizationCode!;
        var token = await FetchComponentTokenElsewhereAsync(context);
        var used = await PostComponentAsync(context, $"api_query_auth?component_access_token={Uri.EscapeDataString(token)}",
            new { component_appid = PlatformSandboxDefaults.ComponentAppId, authorization_code = code });
        Assert.True(used.TryGetProperty("authorization_info", out _), "The exchange elsewhere failed.");

        await context.Get<CredentialRefresher>().RefreshAllAsync(CancellationToken.None);
        await context.Get<CredentialRefresher>().RefreshAllAsync(CancellationToken.None);

        Assert.Equal(AuthorizerStatus.CodeExpired, (await AuthorizerRowAsync(context, appId)).Status);
        // The elsewhere exchange, then this WxShare's: its component token was ended by the fetch elsewhere (one
        // replacement), and the code refused once; the second tick sends nothing.
        Assert.Equal(1 + 2, context.Sandbox.Platform.Calls["api_query_auth"]);
    }

    private static async Task<string> FetchComponentTokenElsewhereAsync(WxShareTestContext context)
    {
        var answer = await PostComponentAsync(context, "api_component_token", new
        {
            component_appid = PlatformSandboxDefaults.ComponentAppId,
            component_appsecret = PlatformSandboxDefaults.ComponentAppSecret,
            component_verify_ticket = context.Sandbox.Platform.LatestVerifyTicket(),
        });
        return answer.GetProperty("component_access_token").GetString()!;
    }

    /// <summary>A component call as another client makes it (with a Content-Length: WeChat refuses a chunked body).</summary>
    private static async Task<JsonElement> PostComponentAsync(WxShareTestContext context, string pathAndQuery, object body)
    {
        using var http = new HttpClient { BaseAddress = context.Sandbox.BaseAddress };
        using var answer = await http.PostAsync("cgi-bin/component/" + pathAndQuery,
            new StringContent(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json"));
        return await answer.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static Task<AuthorizerRecord> AuthorizerRowAsync(WxShareTestContext context, string appId) =>
        context.Get<PlatformStore>().GetAuthorizerAsync(PlatformTestSettings.Name, appId, CancellationToken.None);

    private static async Task<JsonElement> ListAuthorizersAsync(WxShareTestContext context)
    {
        var request = OperatorCalls.Request(context.Services, "GET", $"/api/platform/{PlatformTestSettings.Name}/authorizers");
        var answer = await OperatorCalls.RunAsync(request,
            r => new WxShare.Functions.PlatformFunctions(context.Get<WxShare.Http.HttpEdge>()).Authorizers(r, PlatformTestSettings.Name));
        Assert.Equal(200, answer.Status);
        return answer.Json;
    }
}
