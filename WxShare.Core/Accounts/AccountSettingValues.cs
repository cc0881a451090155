namespace WxShare.Accounts;

/// <summary>Parses the values of an account's settings; one place for the validator and the registry.</summary>
internal static class AccountSettingValues
{
    public static AccountKind? Kind(string? value) => (value?.Trim().ToLowerInvariant()) switch
    {
        null or "" or "mp" => AccountKind.Mp,
        "wecom" => AccountKind.WeCom,
        _ => null,
    };

    public static TokenApi? TokenApi(string? value) => (value?.Trim().ToLowerInvariant()) switch
    {
        null or "" or "stable" => Accounts.TokenApi.Stable,
        "classic" => Accounts.TokenApi.Classic,
        _ => null,
    };

    public static bool? Flag(string? value) =>
        string.IsNullOrWhiteSpace(value) ? false : bool.TryParse(value.Trim(), out var flag) ? flag : null;
}
