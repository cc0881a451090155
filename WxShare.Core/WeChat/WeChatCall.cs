namespace WxShare.WeChat;

public enum WeChatCall
{
    AccessToken,
    JsapiTicket,
}
