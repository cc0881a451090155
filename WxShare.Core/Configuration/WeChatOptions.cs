namespace WxShare.Configuration;

/// <summary>The official account whose credentials WxShare keeps, and where WeChat's API is.</summary>
public sealed class WeChatOptions
{
    public const string Section = "WeChat";
    public const string DefaultApiBaseUrl = "https://api.weixin.qq.com";

    public string AppId { get; set; } = "";
    public string AppSecret { get; set; } = "";
    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;
    public int RequestTimeoutSeconds { get; set; } = 10;
    /// <summary>First back-off of the retries on HTTP failures (then doubled, with jitter).</summary>
    public int RetryDelayMilliseconds { get; set; } = 1000;
}
