using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using WxShare.Configuration;
using WxShare.Signing;

namespace WxShare.Accounts;

/// <summary>
/// The one reading of the account settings, for the start-up check and the registry alike: every account complete and
/// well-formed, names and appIds unique; each error names the setting as operators type it.
/// </summary>
internal static partial class AccountSettingsParser
{
    /// <returns>The accounts whose settings are valid; what is wrong with the others goes to <paramref name="errors"/>.</returns>
    public static IReadOnlyList<Account> Parse(AccountsOptions options, List<string> errors)
    {
        var accounts = new List<Account>();
        foreach (var settings in options.Accounts)
            if (Parse(settings, options, errors) is { } account)
                accounts.Add(account);
        RequireUnique(options.Accounts.Where(a => AccountSettingValues.Kind(a.Kind) == AccountKind.Mp && !string.IsNullOrWhiteSpace(a.AppId)),
            a => a.AppId!.Trim(), a => a.SettingName(nameof(AccountSettings.AppId)),
            "each official account is one AppID (and one stored row)", errors);
        RequireUnique(options.Accounts.Where(a => AccountSettingValues.Kind(a.Kind) == AccountKind.WeCom && !string.IsNullOrWhiteSpace(a.CorpId)),
            a => $"{a.CorpId!.Trim()}/{a.AgentId?.Trim()}", a => a.SettingName(nameof(AccountSettings.CorpId)) + "/" + nameof(AccountSettings.AgentId),
            "each WeCom app is one (CorpId, AgentId)", errors);
        return accounts;
    }

    private static Account? Parse(AccountSettings account, AccountsOptions options, List<string> errors)
    {
        var errorsBefore = errors.Count;
        string Setting(string key) => account.SettingName(key);

        if (!account.IsSingleAccount)
        {
            if (!NamePattern().IsMatch(account.Name))
                errors.Add($"{AccountsOptions.Section}__{account.Name}: an account name is 1-40 lower-case letters, digits and '-' (e.g. {AccountsOptions.Section}__shop__AppId).");
            if (account.Name == AccountsOptions.SingleAccountName && options.Accounts.Any(a => a.IsSingleAccount))
                errors.Add($"{AccountsOptions.Section}__{account.Name} clashes with the single-account settings ({Setting("AppId")} ...), which "
                           + $"define the account '{AccountsOptions.SingleAccountName}': rename it, or move those settings under it.");
        }

        var kind = AccountSettingValues.Kind(account.Kind);
        if (kind is null)
        {
            errors.Add($"{Setting("Kind")} '{account.Kind}' is not a kind of account: use mp (an official account, the default) or wecom.");
            return null;
        }

        var defines = account.IsSingleAccount
            ? $" ({WeChatOptionsSetting("AppId")}, {WeChatOptionsSetting("AppSecret")} and {Setting("AllowedDomains")} define the account '{AccountsOptions.SingleAccountName}'; "
              + $"more accounts go in {AccountsOptions.Section}__<name>__AppId, ...)"
            : "";
        var tokenApi = AccountSettingValues.TokenApi(account.TokenApi);
        var cardTicket = AccountSettingValues.Flag(account.CardTicket);
        var relay = AccountSettingValues.Flag(account.Relay);
        if (tokenApi is null)
            errors.Add($"{Setting("TokenApi")} '{account.TokenApi}' is not a token API: use stable (the default) or classic.");
        if (cardTicket is null)
            errors.Add($"{Setting("CardTicket")} '{account.CardTicket}' is not true or false.");
        if (relay is null)
            errors.Add($"{Setting("Relay")} '{account.Relay}' is not true or false.");
        var publicCardIds = (account.PublicCardIds ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var cardId in publicCardIds.Where(c => !Cards.CardParameterShapes.CardId().IsMatch(c)))
            errors.Add($"{Setting("PublicCardIds")} entry '{cardId}' is not a card_id (letters, digits, '-' and '_').");
        if (publicCardIds.Length > 0 && cardTicket == false)
            errors.Add($"{Setting("PublicCardIds")} lists cards, but {Setting("CardTicket")} is not true: card-ext signs only with the card api_ticket.");
        if (kind == AccountKind.Mp)
        {
            if (string.IsNullOrWhiteSpace(account.AppId))
                errors.Add($"{Setting("AppId")} is not set: give the official account's AppID (wx...).{defines}");
        }
        else
        {
            if (string.IsNullOrWhiteSpace(account.CorpId))
                errors.Add($"{Setting("CorpId")} is not set: give the WeCom corp's CorpID (ww...).");
            if (string.IsNullOrWhiteSpace(account.AgentId) || !account.AgentId.Trim().All(char.IsAsciiDigit))
                errors.Add($"{Setting("AgentId")} '{account.AgentId}' is not an AgentId: give the app's AgentId (digits).");
        }

        if (string.IsNullOrWhiteSpace(account.AppSecret))
            errors.Add($"{Setting("AppSecret")} is not set: give the {(kind == AccountKind.Mp ? "official account's AppSecret" : "app's Secret")}.{defines}");

        var domains = AllowedDomains.Split(account.AllowedDomains);
        if (domains.Count == 0)
            errors.Add($"{Setting("AllowedDomains")} is not set: list the JS-safe domains of the account's pages, comma-separated (e.g. example.com,m.example.com).");
        foreach (var domain in domains.Where(d => !AllowedDomains.IsBareDomain(d)))
            errors.Add($"{Setting("AllowedDomains")} entry '{domain}' is not a bare domain: drop the scheme, port and path (e.g. example.com).");

        if (errors.Count > errorsBefore)
            return null;
        return new Account(
            account.Name, account.IsSingleAccount, kind.Value,
            (kind == AccountKind.WeCom ? account.CorpId : account.AppId)!.Trim(),
            kind == AccountKind.WeCom ? account.AgentId!.Trim() : null,
            account.AppSecret!.Trim(),
            new AllowedDomains(domains),
            tokenApi!.Value,
            cardTicket!.Value)
        {
            Relay = relay!.Value,
            PublicCardIds = publicCardIds.ToHashSet(StringComparer.Ordinal),
        };
    }

    private static void RequireUnique(IEnumerable<AccountSettings> accounts, Func<AccountSettings, string> key,
        Func<AccountSettings, string> setting, string why, List<string> errors)
    {
        foreach (var clash in accounts.GroupBy(key, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            errors.Add($"{string.Join(" and ", clash.Select(setting))} are all '{clash.Key}': {why}, so give each account its own.");
    }

    private static string WeChatOptionsSetting(string key) => SettingName.Of(WeChatOptions.Section, key);

    [GeneratedRegex("^[a-z0-9-]{1,40}$")]
    private static partial Regex NamePattern();
}

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
