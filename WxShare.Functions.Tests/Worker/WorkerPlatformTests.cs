using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.AspNetCore.WebUtilities;
using WxShare.Functions.Tests.FunctionsHost.Protocol;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Functions.Tests.Platform;
using WxShare.Http;
using WxShare.Platform;
using WxShare.Signing;
using WxShare.WeChatSandbox.Platform;

namespace WxShare.Functions.Tests.Worker;

/// <summary>
/// Issue 20 on the Functions host: the four platform routes through the real worker (their {name} bound from the route as
/// the host binds it), against the sandbox's Open Platform. The sandbox has no event URL (nothing can reach the worker
/// but the host), so its pushes are made by the test and sent through the host.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WorkerPlatformTests(AzuriteFixture azurite, PlatformFunctionsAppFixture fixture) : IClassFixture<PlatformFunctionsAppFixture>
{
    private const string Authorizer = "wxa1b2c3d4e5f6c0de";
    private static readonly string Page = $"https://{PlatformTestSettings.AllowedDomains}/shop/index.html?id=7";
    private static readonly string Events = WorkerRoutes.Platform(ApiRoutes.PlatformEvents, PlatformTestSettings.Name);
    private static readonly string Authorize = WorkerRoutes.Platform(ApiRoutes.PlatformAuthorize, PlatformTestSettings.Name);
    private static readonly string Authorizers = WorkerRoutes.Platform(ApiRoutes.PlatformAuthorizers, PlatformTestSettings.Name);

    [Fact]
    public async Task A_ticket_push_then_an_authorization_on_the_sandbox_lets_the_worker_sign_with_the_authorizers_ticket()
    {
        var app = await fixture.AppAsync(azurite);

        // WeChat's 10-minute push, encrypted and signed as WeChat does, to the event route.
        var (ticket, push) = await PlatformPushes.SandboxTicketPushAsync(app.Sandbox, DateTimeOffset.UtcNow);
        using (var pushed = await app.Host.SendAsync(push.ToHttpRequest(Events)))
        {
            Assert.Equal(HttpStatusCode.OK, pushed.StatusCode);
            Assert.Equal("success", await pushed.Content.ReadAsStringAsync());
        }
        var component = await Store(app).GetComponentAsync(PlatformTestSettings.Name, CancellationToken.None);
        Assert.True(component.Ticket?.Value == ticket, "The pushed verify ticket was not stored.");

        // The operator's link needs the key, with route ops.
        await AssertJsonErrorAsync(await app.Host.GetAsync(Authorize), HttpStatusCode.Unauthorized, "key_missing");
        await AssertJsonErrorAsync(await app.Host.SendAsync(FunctionsApp.Keyed(HttpMethod.Get, Authorize, FunctionsApp.RelayOnlyKey)), HttpStatusCode.Forbidden, "key_scope");
        using var linked = await app.Host.SendAsync(FunctionsApp.Keyed(HttpMethod.Get, Authorize));
        Assert.Equal(HttpStatusCode.OK, linked.StatusCode);
        var link = await linked.Content.ReadFromJsonAsync<JsonElement>();
        var redirectUri = link.GetProperty("redirectUri").GetString()!;
        Assert.Equal(WorkerRoutes.Platform(ApiRoutes.PlatformAuthorized, PlatformTestSettings.Name), new Uri(redirectUri).AbsolutePath);
        var linkQuery = QueryHelpers.ParseQuery(new Uri(link.GetProperty("url").GetString()!).Query);
        Assert.Equal(redirectUri, linkQuery["redirect_uri"].ToString());

        // The account consents on the sandbox's page for that link's pre_auth_code; WeChat redirects to the authorized route.
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.Sandbox.BaseAddress };
        using var consent = await browser.GetAsync(QueryHelpers.AddQueryString("_sandbox/authorize", new Dictionary<string, string?>
        {
            ["appid"] = Authorizer, ["pre_auth_code"] = linkQuery["pre_auth_code"], ["redirect_uri"] = redirectUri,
        }));
        Assert.Equal(HttpStatusCode.Redirect, consent.StatusCode);
        var location = consent.Headers.Location!;
        Assert.StartsWith(redirectUri + "?auth_code=", location.ToString());
        using (var result = await app.Host.GetAsync(location.PathAndQuery))
        {
            Assert.Equal(HttpStatusCode.OK, result.StatusCode);
            Assert.Equal("text/html", result.Content.Headers.ContentType?.MediaType);
            Assert.Contains($"Official account {Authorizer} authorized platform {PlatformTestSettings.Name}", await result.Content.ReadAsStringAsync());
        }
        var stored = await Store(app).GetAuthorizerAsync(PlatformTestSettings.Name, Authorizer, CancellationToken.None);
        Assert.Equal(AuthorizerStatus.Authorized, stored.Status);
        Assert.True(stored.RefreshToken == app.Sandbox.Platform.RefreshTokenOf(Authorizer), "The authorizer's refresh token was not stored.");

        // The list names it, and holds no credential.
        using var listed = await app.Host.SendAsync(FunctionsApp.Keyed(HttpMethod.Get, Authorizers));
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var listBody = await listed.Content.ReadAsStringAsync();
        var list = JsonDocument.Parse(listBody).RootElement;
        Assert.Equal(1, list.GetProperty("authorizedCount").GetInt32());
        var listedAuthorizer = Assert.Single(list.GetProperty("authorizers").EnumerateArray());
        Assert.Equal((Authorizer, "Authorized"), (listedAuthorizer.GetProperty("appId").GetString(), listedAuthorizer.GetProperty("status").GetString()));
        Assert.DoesNotContain(stored.RefreshToken!, listBody);
        Assert.DoesNotContain(ticket, listBody);

        // The timer's tick fetches the authorizer's ticket; the config route signs with it and calls nobody.
        Assert.Equal(StatusResult.Types.Status.Success, (await app.Host.InvokeTimerAsync("RefreshCredentials")).Result.Status);
        var callsBefore = (app.Sandbox.State.Calls.Total, app.Sandbox.Platform.Calls.Values.Sum());
        using var signed = await app.Host.GetAsync(WorkerRoutes.Config(Page) + $"&appId={Authorizer}");
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        var config = (await signed.Content.ReadFromJsonAsync<JsSdkConfig>())!;
        Assert.Equal((Authorizer, Page), (config.AppId, config.Url));
        var authorizerTicket = app.Sandbox.State.CurrentTicket(Authorizer);
        Assert.NotNull(authorizerTicket);
        Assert.Equal(DocumentedSignature.Compute(authorizerTicket, config.NonceStr, config.Timestamp, Page), config.Signature);
        Assert.Equal(callsBefore, (app.Sandbox.State.Calls.Total, app.Sandbox.Platform.Calls.Values.Sum()));
    }

    [Fact]
    public async Task A_push_signed_with_another_token_is_a_json_401_and_stores_nothing()
    {
        var app = await fixture.AppAsync(azurite);
        var rowsBefore = await PlatformRowsAsync(app);
        var now = DateTimeOffset.UtcNow;
        const string ticket = "ticket@@@signed-by-a-stranger";
        var forged = new PlatformMessageCrypto("strangerstoken", PlatformSandboxDefaults.EncodingAESKey, PlatformSandboxDefaults.ComponentAppId);

        using var response = await app.Host.SendAsync(PlatformPushes.Signed(forged.Encrypt(PlatformPushes.TicketMessage(ticket, now)), now, forged).ToHttpRequest(Events));

        var body = await AssertJsonErrorAsync(response, HttpStatusCode.Unauthorized, "bad_signature");
        Assert.DoesNotContain(ticket, body);
        Assert.Equal(rowsBefore, await PlatformRowsAsync(app));
        Assert.NotEqual(ticket, (await Store(app).GetComponentAsync(PlatformTestSettings.Name, CancellationToken.None)).Ticket?.Value);
    }

    private static TableClient Table(FunctionsApp app) => new(app.AppSettings["Storage__ConnectionString"], app.AppSettings["Storage__TableName"]);

    private static PlatformStore Store(FunctionsApp app) => new(Table(app));

    /// <summary>Each platform row by its keys and ETag: any write changes the list.</summary>
    private static async Task<string[]> PlatformRowsAsync(FunctionsApp app) =>
        (await PlatformTestBed.PlatformRowsAsync(Table(app))).Select(r => $"{r.PartitionKey}/{r.RowKey} {r.ETag}").Order(StringComparer.Ordinal).ToArray();

    private static async Task<string> AssertJsonErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        using (response)
        {
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Equal(error, JsonDocument.Parse(body).RootElement.GetProperty("error").GetString());
            return body;
        }
    }
}

/// <summary>A worker with the platform <c>saas</c> (the sandbox's platform credentials) whose start-up tick has created the table.</summary>
public sealed class PlatformFunctionsAppFixture : FunctionsAppFixture
{
    protected override async Task<FunctionsApp> StartAsync(AzuriteFixture azurite)
    {
        var app = await FunctionsApp.StartAsync(azurite, settings => PlatformTestSettings.Add(settings));
        try
        {
            var tick = await app.Host.InvokeTimerAsync("RefreshCredentials");
            Assert.Equal(StatusResult.Types.Status.Success, tick.Result.Status);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return app;
    }
}
