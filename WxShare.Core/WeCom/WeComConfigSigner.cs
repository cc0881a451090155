using WxShare.Accounts;
using WxShare.Signing;

namespace WxShare.WeCom;

/// <summary>
/// Signs a page for a WeCom app. Both signatures use the JS-SDK algorithm; wx.config's with the corp ticket and
/// wx.agentConfig's with the app's agent ticket (mixing them up is WeCom's "invalid signature ... e=40093").
/// </summary>
public static class WeComConfigSigner
{
    public static WeComJsSdkConfig Sign(Account account, string corpTicket, string agentTicket, string url, long timestamp) =>
        Sign(account, corpTicket, agentTicket, url, timestamp, JsSdkSignature.NewNonce(), JsSdkSignature.NewNonce());

    public static WeComJsSdkConfig Sign(Account account, string corpTicket, string agentTicket, string url, long timestamp, string configNonce, string agentNonce) =>
        new(account.AppId, timestamp, configNonce, JsSdkSignature.Compute(corpTicket, configNonce, timestamp, url), url,
            new WeComAgentConfig(account.AppId, account.AgentId!, timestamp, agentNonce, JsSdkSignature.Compute(agentTicket, agentNonce, timestamp, url)));
}
