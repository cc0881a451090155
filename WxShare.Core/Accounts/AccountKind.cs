namespace WxShare.Accounts;

public enum AccountKind
{
    /// <summary>A WeChat official account (公众号): access_token, jsapi_ticket, optionally the wx_card ticket.</summary>
    Mp,
    /// <summary>A WeCom (企业微信) self-built app, named by (CorpId, AgentId).</summary>
    WeCom,
}
