using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using WxShare.Accounts;
using WxShare.Signing;

namespace WxShare.Platform;

/// <summary>Every platform complete and well-formed, names and component appids unique; each error names the setting, never a secret's value.</summary>
internal sealed partial class PlatformsOptionsValidator : IValidateOptions<PlatformsOptions>
{
    public ValidateOptionsResult Validate(string? name, PlatformsOptions options)
    {
        var errors = new List<string>();
        foreach (var platform in options.Platforms)
            Validate(platform, errors);
        foreach (var clash in options.Platforms.Where(p => !string.IsNullOrWhiteSpace(p.ComponentAppId))
                     .GroupBy(p => p.ComponentAppId!.Trim(), StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            errors.Add($"{string.Join(" and ", clash.Select(p => p.SettingName(nameof(PlatformSettings.ComponentAppId))))} are all '{clash.Key}': "
                       + "each platform is one component appid (and one stored row), so give each its own.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Validate(PlatformSettings platform, List<string> errors)
    {
        string Setting(string key) => platform.SettingName(key);

        if (!NamePattern().IsMatch(platform.Name))
            errors.Add($"{PlatformsOptions.Section}__{platform.Name}: a platform name is 1-40 lower-case letters, digits and '-' (e.g. {PlatformsOptions.Section}__saas__ComponentAppId).");
        if (string.IsNullOrWhiteSpace(platform.ComponentAppId))
            errors.Add($"{Setting(nameof(PlatformSettings.ComponentAppId))} is not set: give the third-party platform's AppID (wx..., 开发资料 in the Open Platform console).");
        if (string.IsNullOrWhiteSpace(platform.ComponentAppSecret))
            errors.Add($"{Setting(nameof(PlatformSettings.ComponentAppSecret))} is not set: give the third-party platform's AppSecret.");
        if (!TokenPattern().IsMatch(platform.Token ?? ""))
            errors.Add($"{Setting(nameof(PlatformSettings.Token))} is not a message-check token: the console's 消息校验Token is 3-32 letters and digits.");
        if (!PlatformMessageCrypto.IsEncodingAesKey(platform.EncodingAESKey))
            errors.Add($"{Setting(nameof(PlatformSettings.EncodingAESKey))} is not a message encryption key: the console's 消息加解密Key is "
                       + $"{PlatformMessageCrypto.EncodingAesKeyLength} characters, a 32-byte key in base64 without its '=' (value not shown).");
        if (AccountSettingValues.Flag(platform.Cards) is null)
            errors.Add($"{Setting(nameof(PlatformSettings.Cards))} '{platform.Cards}' is not true or false.");
        if (AccountSettingValues.Flag(platform.Relay) is null)
            errors.Add($"{Setting(nameof(PlatformSettings.Relay))} '{platform.Relay}' is not true or false.");

        var domains = AllowedDomains.Split(platform.AllowedDomains);
        if (domains.Count == 0)
            errors.Add($"{Setting(nameof(PlatformSettings.AllowedDomains))} is not set: list the platform's 公众号开发域名 (up to 3), comma-separated (e.g. wx.example.com).");
        foreach (var domain in domains.Where(d => !AllowedDomains.IsBareDomain(d)))
            errors.Add($"{Setting(nameof(PlatformSettings.AllowedDomains))} entry '{domain}' is not a bare domain: drop the scheme, port and path (e.g. wx.example.com).");
    }

    [GeneratedRegex("^[a-z0-9-]{1,40}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9]{3,32}$")]
    private static partial Regex TokenPattern();
}
