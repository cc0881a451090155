namespace WxShare.WeChat;

public enum WeChatCall
{
    AccessToken,
    JsapiTicket,
    /// <summary>WeCom's agent ticket (/cgi-bin/ticket/get?type=agent_config); WeCom's gettoken and corp ticket use the two above.</summary>
    AgentTicket,
}
