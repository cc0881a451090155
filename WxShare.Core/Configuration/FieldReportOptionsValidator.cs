using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace WxShare.Configuration;

internal sealed partial class FieldReportOptionsValidator : IValidateOptions<FieldReportOptions>
{
    public ValidateOptionsResult Validate(string? name, FieldReportOptions options)
    {
        var errors = new List<string>();
        if (options.PerAddressPerMinute is < 1 or > FieldReportOptions.MaxPerMinute)
            errors.Add($"{Setting("PerAddressPerMinute")} must be between 1 and {FieldReportOptions.MaxPerMinute}.");
        if (options.TotalPerMinute is < 1 or > FieldReportOptions.MaxPerMinute)
            errors.Add($"{Setting("TotalPerMinute")} must be between 1 and {FieldReportOptions.MaxPerMinute}.");
        else if (options.TotalPerMinute < options.PerAddressPerMinute)
            errors.Add($"{Setting("TotalPerMinute")} ({options.TotalPerMinute}) is below {Setting("PerAddressPerMinute")} ({options.PerAddressPerMinute}): "
                       + "the total limit covers all addresses together.");
        if (options.ClientAddressHeader.Length > 0 && !HeaderName().IsMatch(options.ClientAddressHeader))
            errors.Add($"{Setting("ClientAddressHeader")} '{options.ClientAddressHeader}' is not a header name (e.g. X-Forwarded-For).");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static string Setting(string key) => SettingName.Of(FieldReportOptions.Section, key);

    [GeneratedRegex("^[A-Za-z0-9-]{1,64}$")]
    private static partial Regex HeaderName();
}
