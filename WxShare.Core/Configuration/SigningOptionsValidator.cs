using Microsoft.Extensions.Options;

namespace WxShare.Configuration;

internal sealed class SigningOptionsValidator : IValidateOptions<SigningOptions>
{
    public ValidateOptionsResult Validate(string? name, SigningOptions options)
    {
        var errors = new SettingErrors(SigningOptions.Section);
        errors.InRange("TicketCacheSeconds", options.TicketCacheSeconds, 1, SigningOptions.MaxTicketCacheSeconds);
        return errors.Result();
    }
}
