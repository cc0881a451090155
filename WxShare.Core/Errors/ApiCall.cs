namespace WxShare.Errors;

public enum ApiCall
{
    /// <summary>The access_token call: classic GET /cgi-bin/token or POST /cgi-bin/stable_token.</summary>
    AccessToken,
    JsapiTicket,
    /// <summary>getticket with type=wx_card.</summary>
    CardTicket,
    /// <summary>WeCom's agent ticket (/cgi-bin/ticket/get?type=agent_config); WeCom's gettoken and corp ticket use the two above.</summary>
    AgentTicket,
    /// <summary>WeChat's own diagnostics: POST /cgi-bin/openapi/quota/get.</summary>
    QuotaLookup,
    /// <summary>POST /cgi-bin/openapi/rid/get.</summary>
    RidLookup,
    /// <summary>POST /cgi-bin/clear_quota/v2: at most 10 a month.</summary>
    ClearQuota,
    // The Open Platform's component calls (Platform/ComponentApiClient), classified by PlatformErrorClassifier.
    ComponentToken,
    PreAuthCode,
    QueryAuth,
    AuthorizerToken,
    AuthorizerList,
    StartPushTicket,
    /// <summary>Asking whether a token still works (WeChat's GET /cgi-bin/getcallbackip with it); issues nothing.</summary>
    TokenCheck,
}
