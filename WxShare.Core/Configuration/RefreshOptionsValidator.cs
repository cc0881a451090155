using Microsoft.Extensions.Options;
using WxShare.Refresh;

namespace WxShare.Configuration;

internal sealed class RefreshOptionsValidator : IValidateOptions<RefreshOptions>
{
    public ValidateOptionsResult Validate(string? name, RefreshOptions options)
    {
        var errors = new List<string>();
        if (!RefreshSchedule.IsValid(options.Schedule))
            errors.Add($"{RefreshOptions.ScheduleSetting} '{options.Schedule}' is not a six-field NCRONTAB expression (e.g. 0 */5 * * * *).");
        if (options.MaxAgeMinutes is < 5 or > 115)
            errors.Add($"{Setting("MaxAgeMinutes")} must be between 5 and 115: WeChat credentials live 120 minutes.");
        if (options.ExpiryMarginMinutes is < 1 or > 60)
            errors.Add($"{Setting("ExpiryMarginMinutes")} must be between 1 and 60.");
        if (options.ConfigurationErrorBackoffMinutes is < 1 or > 1440)
            errors.Add($"{Setting("ConfigurationErrorBackoffMinutes")} must be between 1 and 1440.");
        if (options.LeaseSeconds is < 10 or > 600)
            errors.Add($"{Setting("LeaseSeconds")} must be between 10 and 600.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static string Setting(string key) => SettingName.Of(RefreshOptions.Section, key);
}
