namespace WxShare.WeChat;

public enum WeChatCall
{
    /// <summary>The access_token call: classic GET /cgi-bin/token or POST /cgi-bin/stable_token.</summary>
    AccessToken,
    JsapiTicket,
    /// <summary>getticket with type=wx_card.</summary>
    CardTicket,
}
