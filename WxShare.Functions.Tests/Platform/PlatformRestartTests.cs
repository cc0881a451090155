using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WxShare.Accounts;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Refresh;
using WxShare.Platform;
using WxShare.Storage;
using WxShare.WeChatSandbox;
using WxShare.WeChatSandbox.Platform;

namespace WxShare.Functions.Tests.Platform;

/// <summary>
/// What the peers lose, kept: the verify ticket and the refresh token come back from the table after the host restarts
/// (a new host, nothing in memory); and with Table Storage really stopped, a push is an outage (503, WeChat pushes
/// again), not a lost event.
/// </summary>
public sealed class PlatformRestartTests
{
    private const string AuthorizerAppId = "wxa1b2c3d4e5f6a7b8";

    [Fact]
    public async Task The_ticket_and_the_refresh_token_come_back_from_the_table_after_a_restart()
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        await using var sandbox = await WeChatSandboxServer.StartAsync(new SandboxOptions { Platform = new PlatformSandboxOptions { PushIntervalSeconds = 0 } });
        var table = AzuriteFixture.UniqueTableName();
        string refreshToken;
        {
            using var host = await StartHostAsync(azurite, table, sandbox);
            var receiver = host.Services.GetRequiredService<PlatformEventReceiver>();
            var now = DateTimeOffset.UtcNow;
            var (_, ticketPush) = await PlatformPushes.SandboxTicketPushAsync(sandbox, now);
            Assert.Equal(PlatformEventEffect.TicketStored, (await ReceiveAsync(receiver, ticketPush)).Effect);
            var code = await AuthorizationCodeAsync(sandbox);
            var authorized = $"<xml><AppId>{PlatformSandboxDefaults.ComponentAppId}</AppId><CreateTime>{now.ToUnixTimeSeconds()}</CreateTime>"
                             + $"<InfoType>authorized</InfoType><AuthorizerAppid>{AuthorizerAppId}</AuthorizerAppid><AuthorizationCode>{code}</AuthorizationCode></xml>";
            Assert.Equal(PlatformEventEffect.AuthorizerStored,
                (await ReceiveAsync(receiver, PlatformPushes.Signed(PlatformPushes.SandboxCrypto.Encrypt(authorized), now))).Effect);
            refreshToken = sandbox.Platform.RefreshTokenOf(AuthorizerAppId)!;
        }

        using (var restarted = await StartHostAsync(azurite, table, sandbox))
        {
            var store = restarted.Services.GetRequiredService<PlatformStore>();
            var component = await store.GetComponentAsync(PlatformTestSettings.Name, CancellationToken.None);
            Assert.True(component.Ticket?.Value == sandbox.Platform.LatestVerifyTicket(), "The verify ticket did not survive the restart.");
            var authorizer = Assert.Single(await store.ListAuthorizersAsync(PlatformTestSettings.Name, CancellationToken.None));
            Assert.Equal((AuthorizerAppId, AuthorizerStatus.Authorized), (authorizer.AuthorizerAppId, authorizer.Status));
            Assert.True(authorizer.RefreshToken == refreshToken, "The refresh token did not survive the restart.");

            // The new host knows the account from the table alone, and keeps it fresh with what the table kept: the
            // component token (no second api_component_token) and the refresh token (no re-authorization).
            var refreshed = await restarted.Services.GetRequiredService<CredentialRefresher>().RefreshAllAsync(CancellationToken.None);
            var account = Assert.Single(restarted.Services.GetRequiredService<AccountRegistry>().WithAppId(AuthorizerAppId));
            Assert.Equal(RefreshResult.Refreshed, refreshed[account.Name]);
            Assert.Equal((1, 1), (sandbox.Platform.Calls["api_component_token"], sandbox.Platform.Calls["api_query_auth"]));
            var credentials = await restarted.Services.GetRequiredService<CredentialStore>().GetAsync(account.StorageKey, CancellationToken.None);
            Assert.True(credentials.JsapiTicket is { } ticket && sandbox.State.IsTicketValid(AuthorizerAppId, ticket.Value), "No valid ticket after the restart.");
        }
    }

    /// <summary>
    /// The component token in the table is one WeChat no longer honours (another api_component_token with the same
    /// secret ended it; here, the WeChat that issued it is gone, as when ./run.sh restarts its sandbox): the next
    /// component call replaces it once and succeeds, instead of failing with 40001 until it expires two hours later.
    /// </summary>
    [Fact]
    public async Task A_component_token_WeChat_refuses_is_replaced_once_and_the_call_made_again()
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        var table = AzuriteFixture.UniqueTableName();
        var now = DateTimeOffset.UtcNow;
        await using (var first = await WeChatSandboxServer.StartAsync(new SandboxOptions { Platform = new PlatformSandboxOptions { PushIntervalSeconds = 0 } }))
        using (var host = await StartHostAsync(azurite, table, first))
        {
            var (_, push) = await PlatformPushes.SandboxTicketPushAsync(first, now);
            await ReceiveAsync(host.Services.GetRequiredService<PlatformEventReceiver>(), push);
            Assert.Equal(1, first.Platform.Calls["api_component_token"]);
        }

        await using var sandbox = await WeChatSandboxServer.StartAsync(new SandboxOptions { Platform = new PlatformSandboxOptions { PushIntervalSeconds = 0 } });
        using var restarted = await StartHostAsync(azurite, table, sandbox);
        var (_, newPush) = await PlatformPushes.SandboxTicketPushAsync(sandbox, now.AddSeconds(1));
        Assert.Equal(PlatformEventEffect.TicketStored, (await ReceiveAsync(restarted.Services.GetRequiredService<PlatformEventReceiver>(), newPush)).Effect);
        Assert.False(sandbox.Platform.Calls.ContainsKey("api_component_token"), "The stored token, still valid by its expiry, is used first.");

        var platform = restarted.Services.GetRequiredService<PlatformRegistry>().Find(PlatformTestSettings.Name)!;
        var onboarding = restarted.Services.GetRequiredService<PlatformOnboarding>();
        var redirect = new Uri("https://wx.example.com/api/platform/saas/authorized");

        Assert.NotNull(await onboarding.CreateLinkAsync(platform, redirect, mobile: false, CancellationToken.None));
        Assert.Equal((1, 2), (sandbox.Platform.Calls["api_component_token"], sandbox.Platform.Calls["api_create_preauthcode"]));
        // The replacement is stored: the next call uses it, and fetches none.
        Assert.NotNull(await onboarding.CreateLinkAsync(platform, redirect, mobile: false, CancellationToken.None));
        Assert.Equal((1, 3), (sandbox.Platform.Calls["api_component_token"], sandbox.Platform.Calls["api_create_preauthcode"]));
    }

    [Fact]
    public async Task With_storage_stopped_a_push_is_an_outage_and_nothing_is_half_written()
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        await using var sandbox = await WeChatSandboxServer.StartAsync(new SandboxOptions { Platform = new PlatformSandboxOptions { PushIntervalSeconds = 0 } });
        using var host = await StartHostAsync(azurite, AzuriteFixture.UniqueTableName(), sandbox);
        var receiver = host.Services.GetRequiredService<PlatformEventReceiver>();
        azurite.Kill(); // connections to its port are refused from now on

        var now = DateTimeOffset.UtcNow;
        var push = PlatformPushes.Signed(PlatformPushes.SandboxCrypto.Encrypt(PlatformPushes.TicketMessage("ticket@@@during-outage", now)), now);

        await Assert.ThrowsAsync<StorageUnavailableException>(() => ReceiveAsync(receiver, push));
    }

    private static async Task<IHost> StartHostAsync(AzuriteProcess azurite, string table, WeChatSandboxServer sandbox)
    {
        var settings = PlatformTestSettings.Add(TestSettings.For(azurite.ConnectionString, table, sandbox.BaseAddress));
        var host = ServicesOnlyHost.Build(settings);
        await host.Services.GetRequiredService<CredentialStore>().EnsureTableAsync(CancellationToken.None);
        return host;
    }

    private static async Task<string> AuthorizationCodeAsync(WeChatSandboxServer sandbox)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = sandbox.BaseAddress };
        using var response = await http.GetAsync($"_sandbox/authorize?appid={AuthorizerAppId}&redirect_uri=https%3A%2F%2Fwx.example.com%2Fdone");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return Uri.UnescapeDataString(response.Headers.Location!.Query.Split('&')[0]["?auth_code=".Length..]);
    }

    private static Task<PlatformEventOutcome> ReceiveAsync(PlatformEventReceiver receiver, PlatformPushRequest push) =>
        receiver.ReceiveAsync(PlatformTestSettings.Name, push.Timestamp, push.Nonce, push.EncryptType, push.MsgSignature, push.BodyStream,
            CancellationToken.None);
}
