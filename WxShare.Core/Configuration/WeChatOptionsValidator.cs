using Microsoft.Extensions.Options;

namespace WxShare.Configuration;

internal sealed class WeChatOptionsValidator : IValidateOptions<WeChatOptions>
{
    public ValidateOptionsResult Validate(string? name, WeChatOptions options)
    {
        var errors = new SettingErrors(WeChatOptions.Section);
        if (!Uri.TryCreate(options.ApiBaseUrl, UriKind.Absolute, out var baseUrl)
            || baseUrl.Scheme is not ("http" or "https"))
            errors.Add($"{errors.Name("ApiBaseUrl")} must be an absolute http(s) URL (default {WeChatOptions.DefaultApiBaseUrl}).");
        errors.InRange("RequestTimeoutSeconds", options.RequestTimeoutSeconds, 1, 120);
        errors.InRange("RetryDelayMilliseconds", options.RetryDelayMilliseconds, 0, 30_000);
        return errors.Result();
    }
}
