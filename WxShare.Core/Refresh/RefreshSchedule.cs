using Microsoft.Extensions.Options;
using NCrontab;
using WxShare.Configuration;

namespace WxShare.Refresh;

/// <summary>The refresh tick schedule, read as the Functions timer trigger reads it (six-field NCRONTAB, UTC).</summary>
public sealed class RefreshSchedule(IOptions<RefreshOptions> options)
{
    private static readonly CrontabSchedule.ParseOptions SixFields = new() { IncludingSeconds = true };
    private readonly CrontabSchedule _schedule = CrontabSchedule.Parse(options.Value.Schedule, SixFields);

    public static bool IsValid(string expression) => CrontabSchedule.TryParse(expression, SixFields) is not null;

    public DateTimeOffset NextTickAfter(DateTimeOffset now) =>
        new(_schedule.GetNextOccurrence(now.UtcDateTime), TimeSpan.Zero);
}
