using Microsoft.Extensions.Options;

namespace WxShare.Configuration;

internal sealed class SigningOptionsValidator : IValidateOptions<SigningOptions>
{
    public ValidateOptionsResult Validate(string? name, SigningOptions options) =>
        options.TicketCacheSeconds is < 1 or > SigningOptions.MaxTicketCacheSeconds
            ? ValidateOptionsResult.Fail($"{SettingName.Of(SigningOptions.Section, "TicketCacheSeconds")} must be between 1 and {SigningOptions.MaxTicketCacheSeconds}.")
            : ValidateOptionsResult.Success;
}
