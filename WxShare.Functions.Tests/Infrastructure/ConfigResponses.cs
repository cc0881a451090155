using System.Net;
using System.Net.Http.Json;
using WxShare.Signing;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Infrastructure;

/// <summary>Checks on a config route's HTTP answer, whichever host served it.</summary>
internal static class ConfigResponses
{
    /// <summary>
    /// Asserts a 200 JSON answer, never cached, signing exactly <paramref name="signedUrl"/> in a way WeChat, holding
    /// the sandbox's current ticket, would accept; returns the config.
    /// </summary>
    public static async Task<JsSdkConfig> AssertSignedConfigAsync(this HttpResponseMessage response, string signedUrl, WeChatSandboxState sandbox)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var config = (await response.Content.ReadFromJsonAsync<JsSdkConfig>())!;
        Assert.Equal(signedUrl, config.Url);
        Assert.Equal(SandboxDefaults.AppId, config.AppId);
        Assert.True(config.VerifiesWith(sandbox.CurrentTicket(SandboxDefaults.AppId)));
        return config;
    }
}
