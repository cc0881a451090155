namespace WxShare.WeChat;

/// <summary>WeChat's quotas count by China Standard Time (UTC+8, no daylight saving): days reset at its midnight, months on its 1st.</summary>
public static class BeijingCalendar
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static DateOnly Day(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(Offset).DateTime);

    /// <summary>The month as <c>yyyy-MM</c>, e.g. <c>2026-12</c>.</summary>
    public static string Month(DateTimeOffset instant) => instant.ToOffset(Offset).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The next midnight in Beijing, when the daily quotas reset (16:00 UTC).</summary>
    public static DateTimeOffset NextMidnight(DateTimeOffset instant) =>
        new DateTimeOffset(Day(instant).AddDays(1).ToDateTime(TimeOnly.MinValue), Offset).ToUniversalTime();
}
