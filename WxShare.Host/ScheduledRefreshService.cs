using WxShare.Refresh;

namespace WxShare.Host;

/// <summary>The standalone host's timer trigger: one tick at start-up (like RunOnStartup), then one per schedule occurrence.</summary>
public sealed partial class ScheduledRefreshService(
    CredentialRefresher refresher,
    RefreshSchedule schedule,
    TimeProvider time,
    ILogger<ScheduledRefreshService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await TickAsync(stoppingToken);
                var now = time.GetUtcNow();
                await Task.Delay(schedule.NextTickAfter(now) - now, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task TickAsync(CancellationToken stoppingToken)
    {
        try
        {
            await refresher.RefreshAllAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A storage outage must not end the loop: the next tick tries again.
            LogTickFailed(e);
        }
    }

    [LoggerMessage(LogLevel.Error, "The refresh tick failed; the next tick retries")]
    private partial void LogTickFailed(Exception exception);
}
