namespace WxShare.WeChatSandbox.Domain;

/// <summary>The errmsg texts WeChat itself sends for each errcode.</summary>
internal static class WeChatErrorMessages
{
    private static readonly Dictionary<int, string> Messages = new()
    {
        [WeChatErrorCodes.SystemError] = "system error",
        [WeChatErrorCodes.InvalidCredential] =
            "invalid credential, access_token is invalid or not latest, could get access_token by getStableAccessToken, more details at https://mmbizurl.cn/s/JtxxFh33r",
        [WeChatErrorCodes.InvalidGrantType] = "invalid grant_type",
        [WeChatErrorCodes.InvalidAppId] = "invalid appid",
        [WeChatErrorCodes.InvalidAccessToken] = "invalid access_token",
        [WeChatErrorCodes.InvalidArgs] = "invalid args",
        [WeChatErrorCodes.InvalidAppSecret] = "invalid appsecret",
        [WeChatErrorCodes.AppSecretFrozen] = "appsecret is frozen",
        [WeChatErrorCodes.AccessTokenMissing] = "access_token missing",
        [WeChatErrorCodes.AppIdMissing] = "appid missing",
        [WeChatErrorCodes.AppSecretMissing] = "appsecret missing",
        [WeChatErrorCodes.AccessTokenExpired] = "access_token expired",
        [WeChatErrorCodes.DailyQuotaReached] = "reach max api daily quota limit",
        [WeChatErrorCodes.MinuteQuotaReached] = "api minute-quota reach limit, must slower, retry next minute",
        [WeChatErrorCodes.DataFormatError] = "data format error",
        [WeChatErrorCodes.ApiUnauthorized] = "api unauthorized",
        [WeChatErrorCodes.IpNeedsAdminConfirmation] = "此IP调用需要管理员确认,请联系管理员",
        [WeChatErrorCodes.IpRefusedTwiceByAdmin] = "24小时内该IP被管理员拒绝调用两次，24小时内不可再使用该IP调用",
        [WeChatErrorCodes.IpRefusedOnceByAdmin] = "1小时内该IP被管理员拒绝调用一次，1小时内不可再使用该IP调用",
        // The Open Platform's component calls (Platform/).
        [Platform.PlatformErrorCodes.NotAuthorized] = "access_token is invalid or not latest, component is not authorized by this account",
        [Platform.PlatformErrorCodes.TicketExpired] = "component ticket is expired",
        [Platform.PlatformErrorCodes.TicketInvalid] = "component ticket is invalid",
        [Platform.PlatformErrorCodes.InvalidPreAuthCode] = "code is invalid",
        [Platform.PlatformErrorCodes.InvalidAuthorizationCode] = "code is expired",
        [Platform.PlatformErrorCodes.InvalidComponent] = "invalid component",
        [Platform.PlatformErrorCodes.RefreshTokenInvalid] = "refresh_token is invalid",
    };

    /// <summary>The text of an errcode; 40164 names the caller's address in its IPv4 and IPv4-mapped IPv6 forms.</summary>
    public static string For(int errcode, string callerIp = "0.0.0.0") => errcode == WeChatErrorCodes.InvalidIp
        ? $"invalid ip {callerIp} ipv6 ::ffff:{callerIp}, not in whitelist"
        : Messages.GetValueOrDefault(errcode, "unknown error");

    /// <summary>The errmsg as WeChat sends it since late 2020: the text, then <c> rid: </c> and the call's request id.</summary>
    public static string WithRequestId(int errcode, string callerIp, string rid) => $"{For(errcode, callerIp)} rid: {rid}";
}
