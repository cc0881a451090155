namespace WxShare.Accounts;

public enum AccountKind
{
    /// <summary>A WeChat official account (公众号): access_token, jsapi_ticket, optionally the wx_card ticket.</summary>
    Mp,
    /// <summary>A WeCom (企业微信) self-built app, named by (CorpId, AgentId).</summary>
    WeCom,
    /// <summary>
    /// A third-party platform's own credential, the component_access_token (no tickets): kept fresh by the refresh engine,
    /// never signing a page, so never among <see cref="AccountRegistry.All"/>.
    /// </summary>
    Component,
}
