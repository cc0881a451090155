namespace WxShare.Refresh;

/// <summary>
/// A limit of so many a day, so far apart, read from the instants an account's row records (the engine writes each one
/// with the lease, before anything is called, so every instance reads the same history). A rolling day is stricter than
/// WeChat's calendar day (midnight Beijing time), so it holds whichever day WeChat counts by.
/// </summary>
public sealed record DailyAllowance(int PerDay, TimeSpan MinimumInterval)
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    /// <summary>When the next use is allowed, or null if now.</summary>
    public DateTimeOffset? NotBefore(IReadOnlyList<DateTimeOffset>? history, DateTimeOffset now)
    {
        var lastDay = (history ?? []).Where(t => now - t < Day).Order().ToArray();
        DateTimeOffset? notBefore = null;
        if (lastDay.Length >= PerDay)
            notBefore = lastDay[^PerDay] + Day;
        if (lastDay.Length > 0 && now - lastDay[^1] < MinimumInterval)
            notBefore = notBefore is { } later && later > lastDay[^1] + MinimumInterval ? later : lastDay[^1] + MinimumInterval;
        return notBefore;
    }

    /// <summary>The history with <paramref name="at"/> added and instants older than a day dropped: what the row stores.</summary>
    public static IReadOnlyList<DateTimeOffset> Record(IReadOnlyList<DateTimeOffset>? history, DateTimeOffset at) =>
        [.. (history ?? []).Where(t => at - t < Day), at];
}

/// <summary>
/// An operator's refresh-now (POST /api/ops/refresh), per account: one a minute, 30 a day, on any instance. Each fetches
/// every ticket anew, so a script calling it in a loop would otherwise spend WeChat's daily quota (45009: every page
/// unsigned until midnight Beijing time) or WeCom's hourly ticket budget.
/// </summary>
public static class RefreshNowCooldown
{
    public static readonly DailyAllowance Allowance = new(PerDay: 30, MinimumInterval: TimeSpan.FromMinutes(1));

    public static DateTimeOffset? NotBefore(IReadOnlyList<DateTimeOffset>? history, DateTimeOffset now) => Allowance.NotBefore(history, now);
}
