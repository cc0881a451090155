using System.Net;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Platform;
using WxShare.Storage;
using WxShare.WeChatSandbox;
using WxShare.WeChatSandbox.Platform;

namespace WxShare.Functions.Tests.Platform;

/// <summary>
/// The platform <c>saas</c> on the fake clock (<see cref="WxShareTestContext"/>): WeChat's pushes handed to the event
/// receiver as the route would, signed at the fake time; the sandbox's consent page for authorizations.
/// </summary>
internal static class PlatformScenario
{
    public static async Task<WxShareTestContext> StartAsync(AzuriteFixture azurite, Action<Dictionary<string, string?>>? configure = null)
    {
        var context = await WxShareTestContext.StartAsync(azurite, s =>
        {
            PlatformTestSettings.Add(s);
            configure?.Invoke(s);
        }, new SandboxOptions { Platform = new PlatformSandboxOptions { PushIntervalSeconds = 0 } });
        // A host's first tick creates the table before any push can be stored.
        await context.Get<CredentialStore>().EnsureTableAsync(CancellationToken.None);
        return context;
    }

    /// <summary>An authorizer appid as WeChat writes them: wx and 16 hex digits.</summary>
    public static string AuthorizerAppId(int i) => $"wx{0xa0000000_00000000UL + (ulong)i:x16}";

    public static ThirdPartyPlatform Platform(this WxShareTestContext context) => context.Get<PlatformRegistry>().Find(PlatformTestSettings.Name)!;

    /// <summary>WeChat's 10-minute push: the sandbox issues a ticket, the receiver stores it.</summary>
    public static async Task<PlatformEventOutcome> PushTicketAsync(this WxShareTestContext context)
    {
        var (_, push) = await PlatformPushes.SandboxTicketPushAsync(context.Sandbox, context.Time.GetUtcNow());
        return await ReceiveAsync(context, push);
    }

    /// <summary>The account's consent on the sandbox's page, then WeChat's authorized push to the receiver (which exchanges the code).</summary>
    public static async Task<PlatformEventOutcome> AuthorizeAsync(this WxShareTestContext context, string authorizerAppId)
    {
        var code = await ConsentAsync(context.Sandbox, authorizerAppId);
        var now = context.Time.GetUtcNow();
        var message = $"<xml><AppId>{PlatformSandboxDefaults.ComponentAppId}</AppId><CreateTime>{now.ToUnixTimeSeconds()}</CreateTime>"
                      + $"<InfoType>authorized</InfoType><AuthorizerAppid>{authorizerAppId}</AuthorizerAppid><AuthorizationCode>{code}</AuthorizationCode></xml>";
        return await ReceiveAsync(context, PlatformPushes.Signed(PlatformPushes.SandboxCrypto.Encrypt(message), now));
    }

    /// <summary>The account withdraws on WeChat's side (its tokens now answer 61003), and WeChat's unauthorized push reaches the receiver.</summary>
    public static async Task<PlatformEventOutcome> UnauthorizeAsync(this WxShareTestContext context, string authorizerAppId)
    {
        using (var http = new HttpClient { BaseAddress = context.Sandbox.BaseAddress })
            (await http.PostAsync($"sandbox/platform/unauthorize?appid={authorizerAppId}", null)).EnsureSuccessStatusCode();
        var now = context.Time.GetUtcNow();
        var message = $"<xml><AppId>{PlatformSandboxDefaults.ComponentAppId}</AppId><CreateTime>{now.ToUnixTimeSeconds()}</CreateTime>"
                      + $"<InfoType>unauthorized</InfoType><AuthorizerAppid>{authorizerAppId}</AuthorizerAppid></xml>";
        return await ReceiveAsync(context, PlatformPushes.Signed(PlatformPushes.SandboxCrypto.Encrypt(message), now));
    }

    /// <summary>The sandbox's consent page: the authorization code its redirect carries.</summary>
    public static async Task<string> ConsentAsync(WeChatSandboxServer sandbox, string authorizerAppId)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = sandbox.BaseAddress };
        using var response = await http.GetAsync($"_sandbox/authorize?appid={authorizerAppId}&redirect_uri=https%3A%2F%2Fwx.example.com%2Fdone");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return Uri.UnescapeDataString(response.Headers.Location!.Query.Split('&')[0]["?auth_code=".Length..]);
    }

    private static Task<PlatformEventOutcome> ReceiveAsync(WxShareTestContext context, PlatformPushRequest push) =>
        context.Get<PlatformEventReceiver>().ReceiveAsync(PlatformTestSettings.Name, push.Timestamp, push.Nonce, push.EncryptType, push.MsgSignature,
            push.BodyStream, CancellationToken.None);
}
