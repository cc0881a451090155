namespace WxShare.Configuration;

/// <summary>Where WeChat's API is and how it is called. The single account's WeChat__AppId/__AppSecret are read by <see cref="AccountsOptions"/>.</summary>
public sealed class WeChatOptions
{
    public const string Section = "WeChat";
    public const string DefaultApiBaseUrl = "https://api.weixin.qq.com";

    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;
    public int RequestTimeoutSeconds { get; set; } = 10;
    /// <summary>First back-off of the retries on HTTP failures (then doubled, with jitter).</summary>
    public int RetryDelayMilliseconds { get; set; } = 1000;
}
