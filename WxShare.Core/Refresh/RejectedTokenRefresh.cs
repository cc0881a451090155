using WxShare.Storage;
using WxShare.WeChat;

namespace WxShare.Refresh;

public enum RejectedTokenOutcome
{
    /// <summary>This call replaced the rejected token; <see cref="RejectedTokenRefresh.Token"/> is the new one.</summary>
    Refreshed,
    /// <summary>The rejected token is no longer the stored one (another caller or the timer replaced it); Token is the current one.</summary>
    AlreadyReplaced,
    /// <summary>No access_token is stored yet.</summary>
    NoToken,
    /// <summary>The stored token is under a minute old: a rejection of a token this fresh is not cured by another.</summary>
    TooNew,
    /// <summary>A relay refresh of this account already ran within the last minute (on any instance).</summary>
    RateLimited,
    /// <summary>A configuration error or the daily quota asked WeChat to be left alone until RetryAt.</summary>
    BackingOff,
    /// <summary>A stable-token account: the forced-refresh budget (the relay's 15 of WeChat's 20 a day, 30 s apart) allows the next at RetryAt; nothing was called.</summary>
    ForcedRefreshLimited,
    /// <summary>Another refresh of this account holds the lease right now.</summary>
    InProgress,
    /// <summary>WeChat refused or failed; the failure is recorded and the stored token is untouched.</summary>
    Failed,
    /// <summary>The issuer still accepts the reported token: nothing was replaced, nothing recorded.</summary>
    StillValid,
    /// <summary>Asking the issuer whether the token is dead failed (no answer, or an errcode other than a rejected token); nothing was replaced.</summary>
    CheckFailed,
}

/// <summary>What a refresh on a relay caller's behalf did, with the token to hand back and when to retry.</summary>
/// <param name="Reason">For the caller, when a guard refused: why; never holds a token.</param>
public sealed record RejectedTokenRefresh(
    RejectedTokenOutcome Outcome,
    IssuedCredential? Token = null,
    DateTimeOffset? RetryAt = null,
    RefreshFailure? Failure = null,
    string? Reason = null);
