using Microsoft.Extensions.Options;
using WxShare.Signing;

namespace WxShare.Configuration;

internal sealed class SigningOptionsValidator : IValidateOptions<SigningOptions>
{
    public ValidateOptionsResult Validate(string? name, SigningOptions options)
    {
        var errors = new List<string>();
        var setting = SettingName.Of(SigningOptions.Section, "AllowedDomains");
        if (options.AllowedDomainList.Count == 0)
            errors.Add($"{setting} is not set: list the JS-safe domains of your pages, comma-separated (e.g. example.com,m.example.com).");
        foreach (var domain in options.AllowedDomainList.Where(d => !AllowedDomains.IsBareDomain(d)))
            errors.Add($"{setting} entry '{domain}' is not a bare domain: drop the scheme, port and path (e.g. example.com).");
        if (options.TicketCacheSeconds is < 1 or > SigningOptions.MaxTicketCacheSeconds)
            errors.Add($"{SettingName.Of(SigningOptions.Section, "TicketCacheSeconds")} must be between 1 and {SigningOptions.MaxTicketCacheSeconds}.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
