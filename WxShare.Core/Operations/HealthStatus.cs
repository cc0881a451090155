namespace WxShare.Operations;

/// <summary>The three states of an account and of the whole service, worst last.</summary>
public static class HealthStatus
{
    public const string Healthy = "healthy";
    /// <summary>The last refresh failed, but the ticket has more than <see cref="HealthEndpoint.TicketMargin"/> left.</summary>
    public const string Degraded = "degraded";
    /// <summary>No valid ticket, or less than the margin left while the refresh is failing: pages will soon fail to sign.</summary>
    public const string Unhealthy = "unhealthy";

    public static int Severity(string status) => status switch
    {
        Healthy => 0,
        Degraded => 1,
        _ => 2,
    };
}
