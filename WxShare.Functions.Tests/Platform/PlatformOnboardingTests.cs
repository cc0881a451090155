using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Http;
using WxShare.Platform;
using WxShare.Refresh;
using WxShare.WeChatSandbox.Platform;

namespace WxShare.Functions.Tests.Platform;

/// <summary>
/// Issue 20 end to end over HTTP on the standalone host (the route table serves both hosts): push → component token →
/// authorize link → the account's consent → authorized redirect → authorizer token → ticket → a signed wx.config that an
/// independent SHA-1 over the documented string verifies, with no WeChat call per signing request.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PlatformOnboardingTests(AzuriteFixture azurite)
{
    private const string PlatformDomain = "pages.saas.test";
    private const string First = "wxa1b2c3d4e5f60001";
    private const string Second = "wxa1b2c3d4e5f60002";
    private static readonly string Page = $"https://{PlatformDomain}/shop/index.html?id=7";

    [Fact]
    public async Task Push_authorize_redirect_refresh_and_sign_with_the_authorizers_ticket()
    {
        await using var bed = await PlatformTestBed.StartAsync(azurite, s => s["Platforms:saas:AllowedDomains"] = PlatformDomain);
        var http = bed.Host.Client;

        // WeChat's 10-minute push through the real event route: the engine fetches the component token at once.
        var push = await bed.Sandbox.PlatformPusher.PushVerifyTicketAsync(CancellationToken.None);
        Assert.True(push.Succeeded, $"{push.Status} {push.Answer}");

        // The operator's link, from a fresh pre_auth_code; the key is required.
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/platform/saas/authorize")).StatusCode);
        var link = await GetJsonAsync(http, "/api/platform/saas/authorize", key: true);
        var url = link.GetProperty("url").GetString()!;
        var redirect = new Uri(http.BaseAddress!, "/api/platform/saas/authorized").ToString();
        Assert.StartsWith(new Uri(bed.Sandbox.BaseAddress, "/cgi-bin/componentloginpage?component_appid=").ToString(), url);
        Assert.Contains($"&redirect_uri={Uri.EscapeDataString(redirect)}&auth_type=1", url);
        Assert.Equal(redirect, link.GetProperty("redirectUri").GetString());
        using (var phone = new HttpRequestMessage(HttpMethod.Get, "/api/platform/saas/authorize"))
        {
            phone.Headers.Authorization = TestKeys.Bearer(PlatformTestBed.OperatorKey);
            phone.Headers.UserAgent.ParseAdd("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148 MicroMessenger/8.0.47");
            var mobile = JsonDocument.Parse(await (await http.SendAsync(phone)).Content.ReadAsStringAsync()).RootElement.GetProperty("url").GetString()!;
            Assert.Matches("/safe/bindcomponent\\?action=bindcomponent&no_scan=1&component_appid=.+&pre_auth_code=.+#wechat_redirect$", mobile);
        }

        // The account consents on the (sandbox's) page: WeChat pushes authorized, then redirects the browser here.
        var location = await ConsentAsync(bed, url, First);
        Assert.StartsWith(redirect + "?auth_code=", location);
        using var result = await http.GetAsync(location);
        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        Assert.Equal("text/html", result.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"Official account {First} authorized platform saas", await result.Content.ReadAsStringAsync());

        // The timer's tick: the authorizer's token (the one api_query_auth granted) and its ticket.
        await bed.Host.App.Services.GetRequiredService<CredentialRefresher>().RefreshAllAsync(CancellationToken.None);
        var callsBefore = (bed.Sandbox.State.Calls.Total, bed.SandboxPlatform.Calls.Values.Sum());
        for (var i = 0; i < 20; i++)
            await GetJsonAsync(http, $"/api/jssdk/config?url={Uri.EscapeDataString(Page)}&appId={First}");
        var config = await GetJsonAsync(http, $"/api/jssdk/config?url={Uri.EscapeDataString(Page)}&appId={First}");
        Assert.Equal((bed.Sandbox.State.Calls.Total, bed.SandboxPlatform.Calls.Values.Sum()), callsBefore); // signing calls nobody

        Assert.Equal(First, config.GetProperty("appId").GetString());
        var ticket = bed.Sandbox.State.CurrentTicket(First)!;
        var signed = $"jsapi_ticket={ticket}&noncestr={config.GetProperty("nonceStr").GetString()}&timestamp={config.GetProperty("timestamp").GetInt64()}&url={Page}";
        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(signed))), config.GetProperty("signature").GetString());

        // One authorizer on the platform's domain signs without appId; a second makes the page ambiguous.
        Assert.Equal(First, (await GetJsonAsync(http, $"/api/jssdk/config?url={Uri.EscapeDataString(Page)}")).GetProperty("appId").GetString());
        await ConsentAsync(bed, (await GetJsonAsync(http, "/api/platform/saas/authorize", key: true)).GetProperty("url").GetString()!, Second);
        await bed.Host.App.Services.GetRequiredService<CredentialRefresher>().RefreshAllAsync(CancellationToken.None);
        using var ambiguous = await http.GetAsync($"/api/jssdk/config?url={Uri.EscapeDataString(Page)}");
        Assert.Equal(HttpStatusCode.BadRequest, ambiguous.StatusCode);
        Assert.Equal("account_ambiguous", JsonDocument.Parse(await ambiguous.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
        Assert.Equal(Second, (await GetJsonAsync(http, $"/api/jssdk/config?url={Uri.EscapeDataString(Page)}&appId={Second}")).GetProperty("appId").GetString());

        // The list: both authorized, with times, and no credential of any kind.
        using var listed = new HttpRequestMessage(HttpMethod.Get, "/api/platform/saas/authorizers");
        listed.Headers.Authorization = TestKeys.Bearer(PlatformTestBed.OperatorKey);
        var body = await (await http.SendAsync(listed)).Content.ReadAsStringAsync();
        var list = JsonDocument.Parse(body).RootElement;
        Assert.Equal(2, list.GetProperty("authorizedCount").GetInt32());
        Assert.Equal([First, Second], list.GetProperty("authorizers").EnumerateArray().Select(a => a.GetProperty("appId").GetString()));
        Assert.True(list.GetProperty("authorizers")[0].TryGetProperty("jsapiTicketExpiresAt", out _));
        foreach (var secret in new[] { ticket, bed.SandboxPlatform.RefreshTokenOf(First)!, bed.SandboxPlatform.RefreshTokenOf(Second)!, PlatformSandboxDefaults.ComponentAppSecret })
            Assert.DoesNotContain(secret, body);
    }

    [Fact]
    public async Task Bad_requests_to_the_platform_routes_get_clear_json_errors()
    {
        await using var bed = await PlatformTestBed.StartAsync(azurite);
        var http = bed.Host.Client;

        using var unknown = await http.GetAsync("/api/platform/nope/authorized?auth_code=x");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("unknown_platform", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        using var noCode = await http.GetAsync("/api/platform/saas/authorized");
        Assert.Equal("auth_code_missing", (await noCode.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        // No ticket pushed yet: no component token, so no link (and nothing minted for the caller).
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/platform/saas/authorize");
        request.Headers.Authorization = TestKeys.Bearer(PlatformTestBed.OperatorKey);
        using var noTicket = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, noTicket.StatusCode);
        Assert.Equal("no_component_token", (await noTicket.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        // An unsigned push is refused by the real route.
        using var unsigned = await http.PostAsync("/api/platform/saas/events?timestamp=1&nonce=2&encrypt_type=aes&msg_signature=00",
            new StringContent("<xml><AppId>x</AppId><Encrypt>AAAA</Encrypt></xml>"));
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal("bad_signature", (await unsigned.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    /// <summary>The sandbox's consent page for this link (the real page asks the administrator to scan): the redirect's Location.</summary>
    private static async Task<string> ConsentAsync(PlatformTestBed bed, string url, string authorizerAppId)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var response = await browser.GetAsync(url + $"&appid={authorizerAppId}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(bed.Sandbox.PlatformPusher.Pushes[^1] is { InfoType: "authorized", Succeeded: true }, "The authorized push did not reach the event route.");
        return response.Headers.Location!.ToString();
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient http, string path, bool key = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key)
            request.Headers.Authorization = TestKeys.Bearer(PlatformTestBed.OperatorKey);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }
}
