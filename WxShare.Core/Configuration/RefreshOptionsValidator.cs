using Microsoft.Extensions.Options;
using WxShare.Refresh;

namespace WxShare.Configuration;

internal sealed class RefreshOptionsValidator : IValidateOptions<RefreshOptions>
{
    public ValidateOptionsResult Validate(string? name, RefreshOptions options)
    {
        var errors = new SettingErrors(RefreshOptions.Section);
        if (!RefreshSchedule.IsValid(options.Schedule))
            errors.Add($"{RefreshOptions.ScheduleSetting} '{options.Schedule}' is not a six-field NCRONTAB expression (e.g. 0 */5 * * * *).");
        errors.InRange("MaxAgeMinutes", options.MaxAgeMinutes, 5, 115, ": WeChat credentials live 120 minutes");
        errors.InRange("ExpiryMarginMinutes", options.ExpiryMarginMinutes, 1, 60);
        errors.InRange("ConfigurationErrorBackoffMinutes", options.ConfigurationErrorBackoffMinutes, 1, 1440);
        errors.InRange("LeaseSeconds", options.LeaseSeconds, 10, 600);
        return errors.Result();
    }
}
