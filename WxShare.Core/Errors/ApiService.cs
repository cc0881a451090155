namespace WxShare.Errors;

/// <summary>Whose API answered the errcode: the same number means different things at each.</summary>
public enum ApiService
{
    /// <summary>An official account's calls at api.weixin.qq.com.</summary>
    WeChat,
    /// <summary>WeCom (企业微信) at qyapi.weixin.qq.com.</summary>
    WeCom,
    /// <summary>The Open Platform (第三方平台) component calls at api.weixin.qq.com.</summary>
    OpenPlatform,
}
