using WxShare.Storage;
using WxShare.WeChat;

namespace WxShare.Operations;

/// <summary>An official account's last quota reading, as health shows it: only a reading of the current Beijing day counts.</summary>
public sealed record QuotaHealth(DateTimeOffset ReadAt, DateTimeOffset ResetsAt, IReadOnlyList<QuotaReading> Calls)
{
    /// <summary>Below this share of a daily limit left, the account is degraded.</summary>
    public const double LowShare = 0.10;

    public static QuotaHealth? Of(CredentialRecord record, DateTimeOffset now) =>
        record is { QuotaReadAt: { } at, QuotaReadings: { Count: > 0 } readings } && BeijingCalendar.Day(at) == BeijingCalendar.Day(now)
            ? new QuotaHealth(at, BeijingCalendar.NextMidnight(now), readings)
            : null;

    /// <summary>Why the account is degraded by its quota: the call nearly out of it, and when it resets; null when none is.</summary>
    public static string? LowQuotaReason(CredentialRecord record, DateTimeOffset now) =>
        Of(record, now) is { } quota && quota.Calls.Where(c => c.RemainingShare < LowShare).MinBy(c => c.RemainingShare) is { } low
            ? $"WeChat's daily quota of {low.CgiPath} is nearly spent: {low.Remain} of {low.DailyLimit} left ({low.RemainingShare:P0}) at {quota.ReadAt:u}; "
              + $"it resets at midnight Beijing time ({quota.ResetsAt:u}). POST /api/ops/clear-quota resets it sooner (10 a month)."
            : null;
}
