using System.Text.RegularExpressions;
using WxShare.Errors;
using WxShare.WeChat;

namespace WxShare.Platform;

/// <summary>What the platform's refresh does about a component call's error, beyond the general handling.</summary>
public enum PlatformErrorAction
{
    /// <summary>Nothing particular: the general handling (<see cref="PlatformErrorClassifier.Classify"/>) applies.</summary>
    None,
    /// <summary>61005/61006: the verify ticket is stale or unknown; wait for the next push (api_start_push_ticket restarts them).</summary>
    WaitForTicketPush,
    /// <summary>61023: the refresh token is dead; recover the current one from api_get_authorizer_list, else ask the account to re-authorize.</summary>
    RecoverRefreshToken,
    /// <summary>61003: the account no longer authorizes the platform; mark it unauthorized and stop serving it.</summary>
    MarkUnauthorized,
}

/// <summary>The Open Platform's errcodes (facts sheet §6) for component calls, mapped onto the handling WeChat's errors get.</summary>
public static partial class PlatformErrorClassifier
{
    public const int NotAuthorized = 61003;
    public const int IpNotRegistered = 61004;
    public const int TicketExpired = 61005;
    public const int TicketInvalid = 61006;
    public const int InvalidComponent = 61011;
    public const int RefreshTokenInvalid = 61023;
    public const int ComponentMustUseComponentToken = 61024;

    public static ApiErrorKind Classify(ApiCall call, int? errorCode) => errorCode switch
    {
        // A ticket is pushed every 10 minutes: the next one may fix it without an operator.
        TicketExpired or TicketInvalid => ApiErrorKind.Transient,
        NotAuthorized or IpNotRegistered or InvalidComponent or RefreshTokenInvalid or ComponentMustUseComponentToken => ApiErrorKind.Configuration,
        // On the component token call 40001/40125 mean a wrong component secret; elsewhere 40001 is a stale token.
        40001 or 40125 when call == ApiCall.ComponentToken => ApiErrorKind.Configuration,
        _ => WeChatErrorClassifier.Classify(call, errorCode),
    };

    public static PlatformErrorAction Action(int? errorCode) => errorCode switch
    {
        TicketExpired or TicketInvalid => PlatformErrorAction.WaitForTicketPush,
        RefreshTokenInvalid => PlatformErrorAction.RecoverRefreshToken,
        NotAuthorized => PlatformErrorAction.MarkUnauthorized,
        _ => PlatformErrorAction.None,
    };

    /// <summary>What an operator should do, in a sentence; null when the next tick simply retries.</summary>
    /// <param name="errorMessage">WeChat's errmsg: 61004's names the IP WeChat saw.</param>
    public static string? Advice(int? errorCode, PlatformSettings platform, string? errorMessage = null) => errorCode switch
    {
        IpNotRegistered => $"Add this server's outbound IP{(IpIn(errorMessage) is { } ip ? $" {ip}" : "")} to the platform's IP whitelist "
                           + "(Open Platform console → the platform → 开发资料 → 白名单IP地址).",
        TicketExpired or TicketInvalid => "No valid component_verify_ticket: WeChat pushes one every 10 minutes to the event URL "
                                          + $"(/api/platform/{platform.Name}/events); if none arrives, check the 授权事件接收URL in the console.",
        InvalidComponent => $"Check {platform.SettingName(nameof(PlatformSettings.ComponentAppId))}: WeChat does not know this component.",
        40001 or 40125 => $"Check {platform.SettingName(nameof(PlatformSettings.ComponentAppSecret))}: WeChat refuses it.",
        RefreshTokenInvalid => "The account's refresh token is no longer valid and api_get_authorizer_list has no newer one: ask the account to authorize the platform again.",
        NotAuthorized => "The account has withdrawn the platform's authorization: it is no longer served until it authorizes again.",
        ComponentMustUseComponentToken => "Something called /cgi-bin/token with the component appid: a platform's token comes only from api_component_token.",
        _ => null,
    };

    /// <summary>The first IPv4 address in an errmsg such as 61004's.</summary>
    public static string? IpIn(string? errorMessage) =>
        errorMessage is not null && Ipv4().Match(errorMessage) is { Success: true } match ? match.Value : null;

    [GeneratedRegex(@"\b\d{1,3}(?:\.\d{1,3}){3}\b")]
    private static partial Regex Ipv4();
}
