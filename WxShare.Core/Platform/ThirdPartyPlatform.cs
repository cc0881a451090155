using Microsoft.Extensions.Options;
using WxShare.Accounts;
using WxShare.Signing;

namespace WxShare.Platform;

/// <summary>One configured third-party platform, its settings parsed (validated at start-up) and its message crypto built once.</summary>
public sealed class ThirdPartyPlatform
{
    public ThirdPartyPlatform(PlatformSettings settings)
    {
        Settings = settings;
        Name = settings.Name;
        ComponentAppId = settings.ComponentAppId!.Trim();
        ComponentAppSecret = settings.ComponentAppSecret!.Trim();
        Crypto = new PlatformMessageCrypto(settings.Token!, settings.EncodingAESKey!, ComponentAppId);
        AllowedDomains = Signing.AllowedDomains.Split(settings.AllowedDomains);
        Cards = AccountSettingValues.Flag(settings.Cards) ?? false;
        Relay = AccountSettingValues.Flag(settings.Relay) ?? false;
        ComponentAccount = new Account(Account.ComponentName(Name).Name, false, AccountKind.Component, ComponentAppId, null, "",
            new Signing.AllowedDomains([]), TokenApi.Classic, false, Name);
    }

    /// <summary>The platform's component token as the refresh engine keeps it: an account of its own, without tickets.</summary>
    public Account ComponentAccount { get; }

    /// <summary>
    /// An account that authorized the platform, as the engine refreshes and the signing route selects it: an official
    /// account on the platform's domains, with the platform's card and relay settings; its token comes from api_authorizer_token.
    /// </summary>
    public Account AuthorizerAccount(string authorizerAppId) =>
        new($"{Name}/{authorizerAppId}", false, AccountKind.Mp, authorizerAppId, null, "",
            new Signing.AllowedDomains(AllowedDomains), TokenApi.Classic, Cards, Name) { Relay = Relay };

    public string Name { get; }
    public PlatformSettings Settings { get; }
    public string ComponentAppId { get; }
    public string ComponentAppSecret { get; }
    public PlatformMessageCrypto Crypto { get; }
    /// <summary>The platform's 公众号开发域名: JS-safe for every authorizer's pages.</summary>
    public IReadOnlyList<string> AllowedDomains { get; }
    /// <summary>Whether authorizers also get wx_card tickets.</summary>
    public bool Cards { get; }
    /// <summary>Whether the token relay serves authorizers' access tokens (to keys whose Accounts reach them).</summary>
    public bool Relay { get; }

    /// <summary>The path WeChat pushes to (授权事件接收URL, under the host's base URL): <c>/api/platform/&lt;name&gt;/events</c>.</summary>
    public string EventPath => $"/api/platform/{Name}/events";

    /// <summary>The key-protected route that answers a new authorization link.</summary>
    public string AuthorizePath => $"/api/platform/{Name}/authorize";

    public override string ToString() => $"ThirdPartyPlatform {{ Name = {Name}, ComponentAppId = {ComponentAppId} }}";
}

/// <summary>Every configured platform by name (none unless <c>Platforms__&lt;name&gt;__*</c> settings exist).</summary>
public sealed class PlatformRegistry(IOptions<PlatformsOptions> options)
{
    private readonly Lazy<IReadOnlyDictionary<string, ThirdPartyPlatform>> _byName = new(() =>
        options.Value.Platforms.ToDictionary(p => p.Name, p => new ThirdPartyPlatform(p), StringComparer.Ordinal));

    public IReadOnlyCollection<ThirdPartyPlatform> All => _byName.Value.Values.ToArray();

    public ThirdPartyPlatform? Find(string? name) => name is not null && _byName.Value.TryGetValue(name, out var platform) ? platform : null;

    /// <summary>The platform that keeps an authorizer's or a component account's credentials.</summary>
    public ThirdPartyPlatform Of(Account account) =>
        Find(account.Platform) ?? throw new InvalidOperationException($"{account} names no configured platform.");
}
