using WxShare.Errors;
using WxShare.Refresh;
using WxShare.WeChat;

namespace WxShare.WeCom;

/// <summary>A ticket call WxShare held back because it would exceed WeCom's hourly limits.</summary>
internal sealed class HourlyLimitReachedException(ApiCall call, DateTimeOffset allowedFrom)
    : RefreshHeldBackException(call, allowedFrom,
        $"The {call} call was held back: WeCom's hourly ticket limits ({WeComTicketBudget.AppCallsPerHour} per app, "
        + $"{WeComTicketBudget.CorpCallsPerHour} per corp) would be exceeded; the next call is allowed from {allowedFrom:u}.");
