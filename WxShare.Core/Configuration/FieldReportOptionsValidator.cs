using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace WxShare.Configuration;

internal sealed partial class FieldReportOptionsValidator : IValidateOptions<FieldReportOptions>
{
    public ValidateOptionsResult Validate(string? name, FieldReportOptions options)
    {
        var errors = new SettingErrors(FieldReportOptions.Section);
        errors.InRange("PerAddressPerMinute", options.PerAddressPerMinute, 1, FieldReportOptions.MaxPerMinute);
        if (errors.InRange("TotalPerMinute", options.TotalPerMinute, 1, FieldReportOptions.MaxPerMinute)
            && options.TotalPerMinute < options.PerAddressPerMinute)
            errors.Add($"{errors.Name("TotalPerMinute")} ({options.TotalPerMinute}) is below {errors.Name("PerAddressPerMinute")} ({options.PerAddressPerMinute}): "
                       + "the total limit covers all addresses together.");
        if (options.ClientAddressHeader.Length > 0 && !HeaderName().IsMatch(options.ClientAddressHeader))
            errors.Add($"{errors.Name("ClientAddressHeader")} '{options.ClientAddressHeader}' is not a header name (e.g. X-Forwarded-For).");
        return errors.Result();
    }

    [GeneratedRegex("^[A-Za-z0-9-]{1,64}$")]
    private static partial Regex HeaderName();
}
