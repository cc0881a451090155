using Microsoft.Extensions.Options;
using NCrontab;
using WxShare.Configuration;

namespace WxShare.Refresh;

/// <summary>The refresh tick schedule, read as the Functions timer trigger reads it (six-field NCRONTAB, UTC).</summary>
public sealed class RefreshSchedule(IOptions<RefreshOptions> options)
{
    private readonly CrontabSchedule _schedule =
        CrontabSchedule.Parse(options.Value.Schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true });

    public DateTimeOffset NextTickAfter(DateTimeOffset now) =>
        new(_schedule.GetNextOccurrence(now.UtcDateTime), TimeSpan.Zero);
}
