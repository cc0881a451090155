using System.Text.Json;
using WxShare.Accounts;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Signing;
using WxShare.WeCom;

namespace WxShare.Functions.Tests.WeCom;

public sealed class WeComSignatureTests
{
    // Doc 96909's vector, the same as WeChat's.
    private const string VectorTicket = "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg";
    private const string VectorNonce = "Wm3WZYTPz0wzccnW";
    private const long VectorTimestamp = 1414587457;
    private const string VectorUrl = "http://mp.weixin.qq.com?params=value";

    private static readonly Account App = new("hr", false, AccountKind.WeCom, WeComApps.CorpId, WeComApps.One, "secret",
        new AllowedDomains([WeComApps.Domain]), TokenApi.Stable, false);

    [Fact]
    public void Both_signatures_reproduce_the_official_vector()
    {
        var config = WeComConfigSigner.Sign(App, VectorTicket, VectorTicket, VectorUrl, VectorTimestamp, VectorNonce, VectorNonce);
        Assert.Equal("0f9de62fce790f9a083d5c99e95740ceb90c27ed", config.Signature);
        Assert.Equal("0f9de62fce790f9a083d5c99e95740ceb90c27ed", config.AgentConfig.Signature);
    }

    [Fact]
    public void Config_is_signed_with_the_corp_ticket_and_agentConfig_with_the_agent_ticket_only()
    {
        const string corpTicket = "corp-ticket-of-ww5a4d5b0c1e2f3a4b";
        const string agentTicket = "agent-ticket-of-app-1000002";
        const string url = "https://work.example.cn/approve?id=7&from=app";
        var config = WeComConfigSigner.Sign(App, corpTicket, agentTicket, url, 1796000000);
        var agent = config.AgentConfig;

        Assert.Equal(DocumentedSignature.Compute(corpTicket, config.NonceStr, config.Timestamp, url), config.Signature);
        Assert.Equal(DocumentedSignature.Compute(agentTicket, agent.NonceStr, agent.Timestamp, url), agent.Signature);
        // The classic mix-ups (40093 "agentConfig:invalid signature") would verify with the other ticket.
        Assert.NotEqual(DocumentedSignature.Compute(agentTicket, config.NonceStr, config.Timestamp, url), config.Signature);
        Assert.NotEqual(DocumentedSignature.Compute(corpTicket, agent.NonceStr, agent.Timestamp, url), agent.Signature);
        Assert.Equal((WeComApps.CorpId, WeComApps.One, WeComApps.CorpId), (agent.CorpId, agent.AgentId, config.AppId));
        Assert.NotEqual(config.NonceStr, agent.NonceStr);
    }

    [Fact]
    public void The_json_carries_beta_true_and_agentConfig_with_WeComs_field_names()
    {
        var json = JsonDocument.Parse(JsonSerializer.Serialize(WeComConfigSigner.Sign(App, "c", "a", "https://work.example.cn/", 1796000000))).RootElement;
        Assert.True(json.GetProperty("beta").GetBoolean());
        Assert.Equal(WeComApps.CorpId, json.GetProperty("appId").GetString());
        foreach (var field in new[] { "timestamp", "nonceStr", "signature", "url" })
            Assert.True(json.TryGetProperty(field, out _), field);
        var agent = json.GetProperty("agentConfig");
        Assert.Equal(["corpid", "agentid", "timestamp", "nonceStr", "signature"], agent.EnumerateObject().Select(p => p.Name));
        Assert.Equal(WeComApps.One, agent.GetProperty("agentid").GetString());
    }

    [Fact]
    public void The_config_answers_are_written_byte_for_byte_in_their_documented_order()
    {
        // WeComJsSdkConfig extends JsSdkConfig: beta stays first, the inherited wx.config fields next, agentConfig last.
        var weCom = new WeComJsSdkConfig("ww1", 1796000000, "n1", "s1", "https://work.example.cn/a?b=1&c=2",
            new WeComAgentConfig("ww1", "1000002", 1796000000, "n2", "s2"));
        Assert.Equal(
            """{"beta":true,"appId":"ww1","timestamp":1796000000,"nonceStr":"n1","signature":"s1","url":"https://work.example.cn/a?b=1&c=2","agentConfig":{"corpid":"ww1","agentid":"1000002","timestamp":1796000000,"nonceStr":"n2","signature":"s2"}}""",
            JsonSerializer.Serialize(weCom, WxShare.Http.WxShareJsonContext.Answers.WeComJsSdkConfig));
        Assert.Equal(
            """{"appId":"wx1","timestamp":1796000000,"nonceStr":"n1","signature":"s1","url":"https://example.cn/a?b=1&c=2"}""",
            JsonSerializer.Serialize(new JsSdkConfig("wx1", 1796000000, "n1", "s1", "https://example.cn/a?b=1&c=2"), WxShare.Http.WxShareJsonContext.Answers.JsSdkConfig));
    }
}
