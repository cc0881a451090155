namespace WxShare.Configuration;

public sealed class SigningOptions
{
    public const string Section = "Signing";
    public const int MaxTicketCacheSeconds = 60;

    // Signing__AllowedDomains belongs to the single account (see AccountsOptions); accounts are validated together.
    public int TicketCacheSeconds { get; set; } = MaxTicketCacheSeconds;
}
