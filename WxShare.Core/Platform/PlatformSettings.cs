namespace WxShare.Platform;

/// <summary>
/// One third-party platform's settings (<c>Platforms__&lt;name&gt;__*</c>) as the operator typed them: strings,
/// checked by <see cref="PlatformsOptionsValidator"/> so that a bad value is reported by its setting name.
/// </summary>
public sealed class PlatformSettings
{
    /// <summary><c>&lt;name&gt;</c> in <c>Platforms__&lt;name&gt;__ComponentAppId</c>; also in the event URL and the stored rows.</summary>
    public string Name { get; set; } = "";
    public string? ComponentAppId { get; set; }
    public string? ComponentAppSecret { get; set; }
    /// <summary>The message-check token (消息校验Token) of the console; it keys msg_signature.</summary>
    public string? Token { get; set; }
    /// <summary>The 43-character message encryption key (消息加解密Key).</summary>
    public string? EncodingAESKey { get; set; }
    /// <summary>The platform's 公众号开发域名, which serve every authorizer's pages.</summary>
    public string? AllowedDomains { get; set; }
    /// <summary>Whether authorizers also get wx_card tickets (true or false, default false).</summary>
    public string? Cards { get; set; }
    /// <summary>Whether keys with route relay may read authorizers' access tokens (true or false, default false), as an account's Relay.</summary>
    public string? Relay { get; set; }

    /// <summary>Names one of this platform's settings as operators type it, e.g. <c>Platforms__saas__Token</c>.</summary>
    public string SettingName(string key) => $"{PlatformsOptions.Section}__{Name}__{key}";

    // ComponentAppSecret, Token and EncodingAESKey are secrets: never print them.
    public override string ToString() => $"PlatformSettings {{ Name = {Name}, ComponentAppId = {ComponentAppId} }}";
}
