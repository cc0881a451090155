using WxShare.Http;
using Microsoft.Extensions.Logging;
using WxShare.Diagnosis;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Functions.Tests.Refresh;
using WxShare.Functions.Tests.WeCom;

namespace WxShare.Functions.Tests.Functions;

/// <summary>With the Azurite process stopped, diagnose still says everything but the signature's verdict, and logs why.</summary>
public sealed class DiagnosisStorageOutageTests
{
    [Fact]
    public async Task Diagnose_answers_without_a_verdict_and_logs_the_outage_when_Azurite_is_stopped()
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        await using var context = await WxShareTestContext.StartAsync(azurite, WeComApps.AddBoth);
        await context.TickAsync();
        azurite.Kill(); // connections to its port are refused from now on
        var page = Uri.EscapeDataString("https://work.example.cn/a?id=1");
        var request = WxShareTestContext.Keyed(HttpRequests.Get(context.Services,
            $"?url={page}&appId={WeComApps.CorpId}&agentId={WeComApps.One}&timestamp=1796000000&nonceStr=Wm3WZYTPz0wzccnW&signature={new string('a', 40)}&signatureOf=agentConfig"));

        var (status, body, json) = await (await new JsSdkDiagnoseFunction(context.Get<HttpEdge>()).Run(request)).ExecuteAsync(request);

        Assert.Equal(200, status);
        Assert.Equal("hr", json.GetProperty("account").GetProperty("name").GetString());
        Assert.Equal("not_checked", json.GetProperty("signature").GetProperty("match").GetString());
        Assert.Contains("could not be read", json.GetProperty("signature").GetProperty("meaning").GetString());
        Assert.StartsWith("jsapi_ticket=***", json.GetProperty("agentConfig").GetProperty("stringToSign").GetString());
        Assert.DoesNotContain("   at ", body);
        Assert.Contains(context.Logs.GetSnapshot(), l => l.Level == LogLevel.Error && l.Message.Contains("for a diagnosis failed"));
    }
}
