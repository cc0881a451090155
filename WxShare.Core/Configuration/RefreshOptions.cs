namespace WxShare.Configuration;

public sealed class RefreshOptions
{
    public const string Section = "Refresh";

    /// <summary>
    /// The top-level setting the timer trigger reads as %RefreshSchedule%. It is flat, not Refresh__Schedule,
    /// because the Functions host resolves nested names in binding expressions unreliably.
    /// </summary>
    public const string ScheduleSetting = "RefreshSchedule";

    /// <summary>Six-field NCRONTAB (with seconds), as the Functions timer trigger reads it; from <see cref="ScheduleSetting"/>.</summary>
    public string Schedule { get; set; } = "0 */5 * * * *";
    public int MaxAgeMinutes { get; set; } = 100;
    public int ExpiryMarginMinutes { get; set; } = 15;
    /// <summary>How long to leave WeChat alone after a configuration error (wrong secret, IP whitelist, ...).</summary>
    public int ConfigurationErrorBackoffMinutes { get; set; } = 30;
    /// <summary>
    /// How long a refresh keeps other runs away: at least the longest refresh the time-outs allow (190 s with WeChat's
    /// default 10 s time-out and 1 s back-off, checked at start-up), and short enough that a crashed owner's lease lapses soon.
    /// </summary>
    public int LeaseSeconds { get; set; } = 240;

    public TimeSpan MaxAge => TimeSpan.FromMinutes(MaxAgeMinutes);
    public TimeSpan ExpiryMargin => TimeSpan.FromMinutes(ExpiryMarginMinutes);
    public TimeSpan ConfigurationErrorBackoff => TimeSpan.FromMinutes(ConfigurationErrorBackoffMinutes);
    public TimeSpan LeaseDuration => TimeSpan.FromSeconds(LeaseSeconds);
}
