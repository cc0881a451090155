namespace WxShare.Configuration;

/// <summary>Limits on the anonymous field-report route, so that no page (or attacker) can flood the logs.</summary>
public sealed class FieldReportOptions
{
    public const string Section = "Reports";
    public const int MaxPerMinute = 100_000;

    /// <summary>Reports accepted per client address per minute.</summary>
    public int PerAddressPerMinute { get; set; } = 10;
    /// <summary>Reports accepted per minute from all clients together (per instance).</summary>
    public int TotalPerMinute { get; set; } = 300;
    /// <summary>
    /// A header whose last entry is the client's address, set by a trusted proxy (e.g. X-Forwarded-For); empty: the
    /// connection's own address. Only set it behind a proxy that appends to it, or clients choose their own partition.
    /// </summary>
    public string ClientAddressHeader { get; set; } = "";
}
