namespace WxShare.WeCom;

/// <summary>Where WeCom's API is. Timeout and retry back-off are WeChat's settings (WeChat__RequestTimeoutSeconds, ...), which apply to both.</summary>
public sealed class WeComOptions
{
    public const string Section = "WeCom";
    public const string DefaultApiBaseUrl = "https://qyapi.weixin.qq.com";

    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;
}
