namespace WxShare.WeChatSandbox.Domain;

/// <summary>WeChat's daily quotas roll over at midnight China Standard Time (UTC+8, no daylight saving).</summary>
internal static class BeijingQuotaDay
{
    private static readonly TimeSpan BeijingOffset = TimeSpan.FromHours(8);

    public static DateOnly Of(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(BeijingOffset).DateTime);
}
