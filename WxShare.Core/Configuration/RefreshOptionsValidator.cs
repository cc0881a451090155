using Microsoft.Extensions.Options;
using WxShare.Http;
using WxShare.Refresh;

namespace WxShare.Configuration;

internal sealed class RefreshOptionsValidator(IOptions<WeChatOptions> weChat) : IValidateOptions<RefreshOptions>
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
        else if (LeaseShortfall(options) is { } error)
            errors.Add(error);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>
    /// A lease that lapses while its refresh still runs lets a second instance start one: two token calls, the second
    /// ending the first's token. The worst case is every call of a run (<see cref="CredentialRefresher.MaxCallsPerRun"/>)
    /// spending all its attempts on time-outs, with the longest back-off between them.
    /// </summary>
    private string? LeaseShortfall(RefreshOptions options)
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
        return $"{Setting("LeaseSeconds")} ({options.LeaseSeconds}) is shorter than the longest refresh the time-outs allow, "
               + $"{Math.Ceiling(worstCase.TotalSeconds):0} s: {CredentialRefresher.MaxCallsPerRun} calls × {ApiHttpClient.MaxAttemptsPerCall} attempts × "
               + $"{SettingName.Of(WeChatOptions.Section, "RequestTimeoutSeconds")} ({timing.RequestTimeoutSeconds} s) plus the back-off between attempts "
               + $"(at most 4 × {SettingName.Of(WeChatOptions.Section, "RetryDelayMilliseconds")} ({timing.RetryDelayMilliseconds} ms) each). "
               + $"Raise {Setting("LeaseSeconds")} to at least {Math.Ceiling(worstCase.TotalSeconds):0}, or lower the time-out.";
    }

    private static string Setting(string key) => SettingName.Of(RefreshOptions.Section, key);
}
