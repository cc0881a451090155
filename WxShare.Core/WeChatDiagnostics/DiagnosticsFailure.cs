using WxShare.Accounts;
using WxShare.Errors;
using WxShare.WeChat;

namespace WxShare.WeChatDiagnostics;

public enum DiagnosticsFailureKind
{
    /// <summary>No valid access_token is stored: the lookups use the stored one and never fetch a token of their own.</summary>
    NoToken,
    /// <summary>WeChat answered with an errcode.</summary>
    WeChatRefused,
    /// <summary>No usable answer: HTTP failure, time-out, malformed body.</summary>
    WeChatUnreachable,
    /// <summary>rid/get: WeChat has no call under this rid for this account (76001: older than 7 days, another account's, or never).</summary>
    RidUnknown,
    /// <summary>rid/get: WeChat says the rid is malformed (76002).</summary>
    RidMalformed,
    /// <summary>A refresh holds the account's row: a write now would make it lose its own.</summary>
    LeasedByOther,
    /// <summary>Another writer changed the row between its read and this write.</summary>
    LostRace,
    /// <summary>WxShare's record shows the month's clear_quota budget spent: WeChat was not called.</summary>
    MonthlyBudgetSpent,
    /// <summary>WeChat refused clear_quota with 48006: its own limit for the month is reached.</summary>
    WeChatMonthlyLimit,
}

/// <summary>What each diagnostics service returns: an answer, or the failure that took its place.</summary>
public interface IDiagnosticsOutcome
{
    DiagnosticsFailure? Failure { get; }
}

/// <summary>Why a diagnostic lookup or quota clearing gave no answer, in words an operator can act on. Never holds a secret.</summary>
public sealed record DiagnosticsFailure(DiagnosticsFailureKind Kind, string Message, int? ErrorCode = null, DateTimeOffset? RetryAt = null)
{
    public static DiagnosticsFailure NoToken(Account account) =>
        new(DiagnosticsFailureKind.NoToken, $"No valid access_token of {account.AppId} is stored, and these lookups use the stored one: "
            + "wait for the refresh timer or run POST /api/ops/refresh, then try again.");

    /// <summary>WeChat's failure, with what its diagnostic errcodes mean (any other errcode as <see cref="ApiErrorAdvice"/> words it).</summary>
    /// <param name="at">When WeChat answered: quota resets are counted from it.</param>
    public static DiagnosticsFailure FromWeChat(ApiCallException e, Account account, DateTimeOffset at)
    {
        if (e.ErrorCode is not { } code)
            return new(DiagnosticsFailureKind.WeChatUnreachable, $"WeChat gave no usable answer to {e.Call}: {e.ErrorMessage}. Try again shortly.");
        var (kind, meaning) = code switch
        {
            76001 => (DiagnosticsFailureKind.RidUnknown,
                "WeChat knows no call of this account under this rid: rids are kept 7 days, and only the account that made the call can look it up."),
            76002 => (DiagnosticsFailureKind.RidMalformed, "WeChat says the rid is malformed: copy it whole from the errmsg (the text after 'rid: ')."),
            76021 => (DiagnosticsFailureKind.WeChatRefused, "WeChat does not know this API path (cgi_path) for quota/get."),
            76022 => (DiagnosticsFailureKind.WeChatRefused, "WeChat says the access_token is not this account's."),
            48006 => (DiagnosticsFailureKind.WeChatMonthlyLimit,
                "WeChat's own limit of clear_quota calls for this month is reached (10 a month, shared with anything else that clears this account's quota); "
                + "it allows more next month. The daily quotas still reset at midnight Beijing time."),
            40001 or 40014 or 42001 => (DiagnosticsFailureKind.WeChatRefused,
                "WeChat refused the stored access_token (replaced or expired): the next refresh stores a new one; try again after it."),
            _ => (DiagnosticsFailureKind.WeChatRefused, ApiErrorAdvice.For(ApiService.WeChat, account, e.Call, code, e.ErrorMessage, at, null).Text),
        };
        return new(kind, $"WeChat answered {e.Call} with errcode {code} ({e.ErrorMessage}). {meaning}", code);
    }
}
