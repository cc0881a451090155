using Microsoft.Extensions.Options;
using WxShare.Configuration;
using WxShare.Refresh;

namespace WxShare.Functions.Tests.Refresh;

public sealed class RefreshScheduleTests
{
    [Theory]
    [InlineData("0 */5 * * * *", "2026-12-01T10:02:30Z", "2026-12-01T10:05:00Z")]
    [InlineData("0 */5 * * * *", "2026-12-01T10:05:00Z", "2026-12-01T10:10:00Z")]
    [InlineData("30 0 * * * *", "2026-12-01T23:59:59Z", "2026-12-02T00:00:30Z")]
    public void Reads_six_field_ncrontab_as_the_timer_trigger_does(string cron, string now, string expected)
    {
        var schedule = new RefreshSchedule(Options.Create(new RefreshOptions { Schedule = cron }));
        Assert.Equal(DateTimeOffset.Parse(expected), schedule.NextTickAfter(DateTimeOffset.Parse(now)));
    }
}
