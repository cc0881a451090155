using Microsoft.Extensions.Options;

namespace WxShare.WeCom;

internal sealed class WeComOptionsValidator : IValidateOptions<WeComOptions>
{
    public ValidateOptionsResult Validate(string? name, WeComOptions options) =>
        Uri.TryCreate(options.ApiBaseUrl, UriKind.Absolute, out var baseUrl) && baseUrl.Scheme is "http" or "https"
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{WeComOptions.Section}__{nameof(WeComOptions.ApiBaseUrl)} must be an absolute http(s) URL (default {WeComOptions.DefaultApiBaseUrl}).");
}
