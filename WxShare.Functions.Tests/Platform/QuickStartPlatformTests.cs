using System.Text.RegularExpressions;
using WxShare.Functions.Tests.Deployment;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Http;
using WxShare.Signing;
using WxShare.WeChatSandbox;
using WxShare.WeChatSandbox.Platform;
using Xunit.Abstractions;

namespace WxShare.Functions.Tests.Platform;

/// <summary>
/// The quick start of docs/platform.md: run.sh's sandbox platform (its settings are the sandbox's, on a domain apart
/// from the account's) and scripts/platform-demo.sh, run against the standalone host with the sandbox pushing to it.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class QuickStartPlatformTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const string Authorizer = "wxa1b2c3d4e5f60001";

    [Fact]
    public void Run_sh_sets_the_sandbox_platform_to_the_sandboxs_credentials_on_a_domain_apart_from_the_accounts()
    {
        var script = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "run.sh"));
        var platform = PlatformSetting().Matches(script).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value);

        Assert.Equal(PlatformSandboxDefaults.ComponentAppId, platform["ComponentAppId"]);
        Assert.Equal(PlatformSandboxDefaults.ComponentAppSecret, platform["ComponentAppSecret"]);
        Assert.Equal(PlatformSandboxDefaults.Token, platform["Token"]);
        Assert.Equal(PlatformSandboxDefaults.EncodingAESKey, platform["EncodingAESKey"]);
        Assert.Equal("http://127.0.0.1:$HOST_PORT" + ApiRoutes.PlatformEvents.FullPath.Replace("{name}", "sandbox"), platform["EventUrl"]);
        // The account's pages keep their signer: no host of one list is on the other.
        var accountDomains = Defaulted(script, "Signing__AllowedDomains");
        var platformDomains = Defaulted(script, "Platforms__sandbox__AllowedDomains");
        Assert.Equal(("example.com,localhost", "saas.example.net"), (accountDomains, platformDomains));
        Assert.All(AllowedDomains.Split(platformDomains), d => Assert.False(new AllowedDomains(AllowedDomains.Split(accountDomains)).Allows(d), d));
        Assert.All(AllowedDomains.Split(accountDomains), d => Assert.False(new AllowedDomains(AllowedDomains.Split(platformDomains)).Allows(d), d));
    }

    [Fact]
    public async Task The_platform_demo_authorizes_an_account_on_the_sandbox_and_verifies_the_config_signed_for_it()
    {
        await using var bed = await PlatformTestBed.StartAsync(azurite, s => s["Platforms:saas:AllowedDomains"] = "saas.example.net");
        Assert.True((await bed.Sandbox.PlatformPusher.PushVerifyTicketAsync(CancellationToken.None)).Succeeded, "run.sh pushes a ticket once the host is up");

        var result = await BashScript.RunAsync("scripts/platform-demo.sh", new Dictionary<string, string?>
        {
            ["WXSHARE_URL"] = bed.Host.Client.BaseAddress!.ToString(),
            ["WXSHARE_SANDBOX_URL"] = bed.Sandbox.BaseAddress.ToString(),
            ["WXSHARE_PLATFORM"] = PlatformTestSettings.Name,
            ["WXSHARE_OPERATOR_KEY"] = PlatformTestBed.OperatorKey,
        });
        output.WriteLine(result.Output);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"authorized platform {PlatformTestSettings.Name}", result.Output);
        Assert.Contains($"\"appId\": \"{Authorizer}\"", result.Output);
        Assert.Contains("it verifies", result.Output);
        Assert.NotNull(bed.Sandbox.State.CurrentTicket(Authorizer));
        Assert.DoesNotContain(PlatformTestBed.OperatorKey, result.Output);
        Assert.DoesNotContain(bed.Sandbox.State.CurrentTicket(Authorizer)!, result.Output);
    }

    /// <summary>The default of a <c>VAR="${VAR:-default}"</c> line.</summary>
    private static string Defaulted(string script, string variable) =>
        Regex.Match(script, $@"{variable}=""\$\{{{variable}:-(?<value>[^}}]+)\}}""").Groups["value"].Value;

    [GeneratedRegex(@"(?:Platforms__sandbox__|Sandbox__Platform__)(?<name>ComponentAppId|ComponentAppSecret|Token|EncodingAESKey|EventUrl)=""?(?<value>[^""\s\\]+)")]
    private static partial Regex PlatformSetting();
}
