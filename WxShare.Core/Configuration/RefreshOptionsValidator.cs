using Microsoft.Extensions.Options;
using WxShare.Http;
using WxShare.Refresh;

namespace WxShare.Configuration;

internal sealed class RefreshOptionsValidator(IOptions<WeChatOptions> weChat) : IValidateOptions<RefreshOptions>
{
    public ValidateOptionsResult Validate(string? name, RefreshOptions options)
    {
        var errors = new SettingErrors(RefreshOptions.Section);
        if (!RefreshSchedule.IsValid(options.Schedule))
            errors.Add($"{RefreshOptions.ScheduleSetting} '{options.Schedule}' is not a six-field NCRONTAB expression (e.g. 0 */5 * * * *).");
        errors.InRange("MaxAgeMinutes", options.MaxAgeMinutes, 5, 115, ": WeChat credentials live 120 minutes");
        errors.InRange("ExpiryMarginMinutes", options.ExpiryMarginMinutes, 1, 60);
        errors.InRange("ConfigurationErrorBackoffMinutes", options.ConfigurationErrorBackoffMinutes, 1, 1440);
        if (errors.InRange("LeaseSeconds", options.LeaseSeconds, 10, 600) && LeaseShortfall(options, errors) is { } shortfall)
            errors.Add(shortfall);
        return errors.Result();
    }

    /// <summary>
    /// A lease that lapses while its refresh still runs lets a second instance start one: two token calls, the second
    /// ending the first's token. The worst case is every call of a run (<see cref="CredentialRefresher.MaxCallsPerRun"/>)
    /// spending all its attempts on time-outs, with the longest back-off between them.
    /// </summary>
    private string? LeaseShortfall(RefreshOptions options, SettingErrors errors)
    {
        WeChatOptions timing;
        try
        {
            timing = weChat.Value;
        }
        catch (OptionsValidationException)
        {
            return null; // WeChat's own settings are wrong: their validation names them, and the lease is checked once they are right
        }
        var perCall = ApiHttpClient.WorstCaseCall(timing);
        var worstCase = CredentialRefresher.MaxCallsPerRun * perCall;
        if (options.LeaseDuration >= worstCase)
            return null;
        return $"{errors.Name("LeaseSeconds")} ({options.LeaseSeconds}) is shorter than the longest refresh the time-outs allow, "
               + $"{Math.Ceiling(worstCase.TotalSeconds):0} s: {CredentialRefresher.MaxCallsPerRun} calls × {ApiHttpClient.MaxAttemptsPerCall} attempts × "
               + $"{SettingName.Of(WeChatOptions.Section, "RequestTimeoutSeconds")} ({timing.RequestTimeoutSeconds} s) plus the back-off between attempts "
               + $"(at most 4 × {SettingName.Of(WeChatOptions.Section, "RetryDelayMilliseconds")} ({timing.RetryDelayMilliseconds} ms) each). "
               + $"Raise {errors.Name("LeaseSeconds")} to at least {Math.Ceiling(worstCase.TotalSeconds):0}, or lower the time-out.";
    }
}
