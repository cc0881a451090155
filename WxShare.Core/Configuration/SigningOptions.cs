namespace WxShare.Configuration;

public sealed class SigningOptions
{
    public const string Section = "Signing";
    public const int MaxTicketCacheSeconds = 60;

    /// <summary>Comma-separated domains (subdomains included) whose pages may be signed and may call cross-origin.</summary>
    public string AllowedDomains { get; set; } = "";
    public int TicketCacheSeconds { get; set; } = MaxTicketCacheSeconds;

    public IReadOnlyList<string> AllowedDomainList =>
        AllowedDomains.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
