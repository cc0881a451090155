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

/// <summary>
/// The Open Platform's errcodes (facts sheet §6) for component calls, mapped onto the handling WeChat's errors get; what a
/// person does about each is worded with every other errcode, in <see cref="ApiErrorAdvice"/>.
/// </summary>
public static class PlatformErrorClassifier
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
}
