namespace WxShare.Configuration;

/// <summary>How operators type an account's setting: Accounts__&lt;name&gt;__Key, or WeChat__Key / Signing__AllowedDomains for the single account.</summary>
internal static class AccountSettingName
{
    public static string Of(string accountName, bool isSingleAccount, string key) =>
        !isSingleAccount ? SettingName.Of($"{AccountsOptions.Section}__{accountName}", key)
        : key == nameof(AccountSettings.AllowedDomains) ? SettingName.Of(SigningOptions.Section, key)
        : SettingName.Of(WeChatOptions.Section, key);
}
