using System.Net.Http.Headers;
using System.Text.Json;
using WxShare.Functions.Tests.EndToEnd;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Http;
using WxShare.WeChatSandbox;
using Xunit.Abstractions;

namespace WxShare.Functions.Tests.Deployment;

/// <summary>
/// scripts/smoke.sh, the check a user runs after <c>azd up</c> (azure.yaml's postdeploy hook), against the standalone
/// host with the WeChat sandbox: it passes against a working one, and names the check that fails against a broken one.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SmokeScriptTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const string Key = "smoke-key-0123456789abcdefghijklmnopqrstuv";

    private Task<StandaloneHost> StartAsync(Action<WeChatSandboxState>? prepareSandbox = null, bool relay = true) =>
        StandaloneHost.StartAsync(azurite, prepareSandbox, settings: settings =>
        {
            settings["WeChat:Relay"] = relay ? "true" : "false";
            TestKeys.Add(settings, "smoke", Key, routes: "ops,diagnose,relay", accounts: "*");
        });

    /// <summary>A host that has its ticket, as a deployment is once WeChat accepts its address.</summary>
    private async Task<StandaloneHost> StartWorkingAsync(bool relay = true)
    {
        var host = await StartAsync(relay: relay);
        await host.WaitForConfigAsync("https://example.com/");
        return host;
    }

    // The script's output is shown with the test (it never holds a key or a token: the tests check that).
    private async Task<BashScript.Result> SmokeAsync(StandaloneHost host, string? key, string? allowedDomains = null)
    {
        var result = await BashScript.RunAsync("scripts/smoke.sh \"$APP\"" + (key is null ? "" : " \"$SMOKE_KEY\""), new Dictionary<string, string?>
        {
            ["APP"] = host.Client.BaseAddress!.ToString(),
            ["SMOKE_KEY"] = key,
            // The page comes from diagnose (as after a deployment) unless allowed domains are given; the machine's own settings never decide.
            ["WXSHARE_SMOKE_KEY"] = null,
            ["WXSHARE_SMOKE_PAGE_URL"] = null,
            ["WXSHARE_ALLOWED_DOMAINS"] = allowedDomains,
        });
        output.WriteLine(result.Output);
        return result;
    }

    private static async Task<string> RelayedTokenAsync(StandaloneHost host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/wechat/token?appId=" + SandboxDefaults.AppId);
        request.Headers.Authorization = TestKeys.Bearer(Key);
        using var response = await host.Client.SendAsync(request);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("accessToken").GetString()!;
    }

    [Fact]
    public async Task Every_check_passes_against_a_working_host_and_no_key_or_token_is_printed()
    {
        await using var host = await StartWorkingAsync();

        var result = await SmokeAsync(host, Key);

        Assert.True(result.ExitCode == 0, $"smoke.sh exited {result.ExitCode}:\n{result.Output}");
        foreach (var check in new[] { "health", "config", "diagnose", "relay", "page-helper" })
            Assert.Contains($"ok   {check}:", result.Output);
        Assert.Contains("signed https://example.com/wxshare-smoke", result.Output);
        Assert.Contains("matches the current stored ticket", result.Output);
        Assert.DoesNotContain(Key, result.Output);
        Assert.DoesNotContain(await RelayedTokenAsync(host), result.Output);
    }

    [Fact]
    public async Task With_the_relay_off_the_key_is_still_checked_and_the_relay_check_passes()
    {
        await using var host = await StartWorkingAsync(relay: false);

        var result = await SmokeAsync(host, Key);

        Assert.True(result.ExitCode == 0, $"smoke.sh exited {result.ExitCode}:\n{result.Output}");
        Assert.Contains("the relay is off for this account (403 relay_disabled)", result.Output);
    }

    [Fact]
    public async Task A_wrong_key_fails_the_keyed_checks_by_name()
    {
        await using var host = await StartWorkingAsync();
        const string wrongKey = "wrong-key-0123456789abcdefghijklmnopqrstu";

        var result = await SmokeAsync(host, wrongKey);

        Assert.True(result.ExitCode == 1, $"smoke.sh exited {result.ExitCode}:\n{result.Output}");
        Assert.Contains("FAIL diagnose: HTTP 401 key_invalid", result.Output);
        Assert.Contains("FAIL relay: HTTP 401 key_invalid", result.Output);
        Assert.Contains("FAIL config: no page to sign: diagnose (which names the allowed domains) refused the key", result.Output);
        Assert.Contains("smoke: FAILED", result.Output);
        Assert.DoesNotContain(wrongKey, result.Output);
    }

    [Fact]
    public async Task With_no_ticket_health_and_config_fail_and_name_WeChats_error()
    {
        // WeChat refuses every call as from an address off the IP whitelist, as before the NAT address is added.
        await using var host = await StartAsync(sandbox => sandbox.SetFault(new SandboxFault(SandboxFaultKind.ErrorCode, ErrorCode: 40164)));
        await WaitForRecordedErrorAsync(host);

        var result = await SmokeAsync(host, Key);

        Assert.True(result.ExitCode == 1, $"smoke.sh exited {result.ExitCode}:\n{result.Output}");
        Assert.Contains("FAIL health: HTTP 503, status unhealthy", result.Output);
        Assert.Contains("WeChat said (errcode 40164, AccessToken call): invalid ip", result.Output);
        Assert.Contains("FAIL config: https://example.com/wxshare-smoke: HTTP 503 ticket_unavailable", result.Output);
        Assert.Contains("FAIL diagnose: no signature to confirm", result.Output);
        Assert.Contains("ok   page-helper:", result.Output);
    }

    [Fact]
    public async Task Without_a_key_the_keyed_checks_are_skipped_out_loud()
    {
        await using var host = await StartWorkingAsync();

        var result = await SmokeAsync(host, key: null, allowedDomains: "example.com");

        Assert.True(result.ExitCode == 0, $"smoke.sh exited {result.ExitCode}:\n{result.Output}");
        Assert.Contains("skip diagnose: no key given", result.Output);
        Assert.Contains("skip relay: no key given", result.Output);
    }

    [Fact]
    public async Task The_postdeploy_hook_runs_the_smoke_test_and_then_says_where_the_nat_address_goes()
    {
        await using var host = await StartWorkingAsync();

        // As azd runs it: its environment's values (the Bicep outputs) as environment variables; no az here.
        var result = await BashScript.RunAsync("scripts/postdeploy.sh", new Dictionary<string, string?>
        {
            ["WXSHARE_URL"] = host.Client.BaseAddress!.ToString().TrimEnd('/'),
            ["WECHAT_IP_WHITELIST_ADDRESS"] = "203.0.113.7",
            ["WXSHARE_SMOKE_KEY"] = Key,
            ["AZURE_FUNCTION_NAME"] = null,
        });
        output.WriteLine(result.Output);

        Assert.True(result.ExitCode == 0, $"postdeploy.sh exited {result.ExitCode}:\n{result.Output}");
        Assert.Contains("smoke: all checks passed", result.Output);
        Assert.Contains("设置与开发 → 基本配置 → IP白名单 → 修改 → add 203.0.113.7", result.Output);
        Assert.True(result.Output.IndexOf("smoke:", StringComparison.Ordinal) < result.Output.IndexOf("IP白名单", StringComparison.Ordinal));
        // No WeCom app is configured here, so no WeCom step.
        Assert.DoesNotContain("企业可信IP", result.Output);
        Assert.DoesNotContain(Key, result.Output);
    }

    private static async Task WaitForRecordedErrorAsync(StandaloneHost host)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            using var response = await host.Client.GetAsync("/api/health");
            if ((await response.Content.ReadAsStringAsync()).Contains("40164", StringComparison.Ordinal))
                return;
            await Task.Delay(200);
        }
        throw new TimeoutException("The health route never showed the 40164 refresh failure.");
    }
}
