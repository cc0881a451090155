using Microsoft.Extensions.Options;
using WxShare.Accounts;

namespace WxShare.Configuration;

/// <summary>The account settings checked at start-up, by the parser the registry reads them with.</summary>
internal sealed class AccountsOptionsValidator : IValidateOptions<AccountsOptions>
{
    public ValidateOptionsResult Validate(string? name, AccountsOptions options)
    {
        var errors = new List<string>();
        AccountSettingsParser.Parse(options, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
