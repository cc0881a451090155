using Microsoft.Extensions.Options;

namespace WxShare.Configuration;

internal sealed class WeChatOptionsValidator : IValidateOptions<WeChatOptions>
{
    public ValidateOptionsResult Validate(string? name, WeChatOptions options)
    {
        var errors = new List<string>();
        if (!Uri.TryCreate(options.ApiBaseUrl, UriKind.Absolute, out var baseUrl)
            || baseUrl.Scheme is not ("http" or "https"))
            errors.Add($"{Setting("ApiBaseUrl")} must be an absolute http(s) URL (default {WeChatOptions.DefaultApiBaseUrl}).");
        if (options.RequestTimeoutSeconds is < 1 or > 120)
            errors.Add($"{Setting("RequestTimeoutSeconds")} must be between 1 and 120.");
        if (options.RetryDelayMilliseconds is < 0 or > 30_000)
            errors.Add($"{Setting("RetryDelayMilliseconds")} must be between 0 and 30000.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static string Setting(string key) => SettingName.Of(WeChatOptions.Section, key);
}
