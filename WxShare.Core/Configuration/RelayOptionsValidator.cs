using Microsoft.Extensions.Options;
using WxShare.Http;

namespace WxShare.Configuration;

internal sealed class RelayOptionsValidator : IValidateOptions<RelayOptions>
{
    public ValidateOptionsResult Validate(string? name, RelayOptions options)
    {
        var errors = AccessKeys.Parse(options.Keys, out _);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
