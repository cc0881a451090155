using WxShare.Signing;

namespace WxShare;

/// <summary>Why a request cannot be answered as asked, in the domain's terms; the HTTP edge (<see cref="Http.ApiErrors"/>) picks the status code.</summary>
public enum RefusalKind
{
    /// <summary>The request is malformed or does not say enough (400).</summary>
    Invalid,
    /// <summary>Well-formed, but not allowed for this page, origin or account (403).</summary>
    NotAllowed,
    /// <summary>It names something not configured here, or not kept (404).</summary>
    NotFound,
    /// <summary>Nothing valid to answer with yet; try again later (503).</summary>
    Unavailable,
    /// <summary>Over a rate limit; try again later (429).</summary>
    TooMany,
    /// <summary>No key, or not one of this host's keys (401).</summary>
    Unauthenticated,
}

/// <summary>A domain outcome: the request is refused, with the <c>{"error","message"}</c> that says why.</summary>
/// <param name="RetryAfter">For <see cref="RefusalKind.Unavailable"/>: when to try again.</param>
public sealed record Refusal(RefusalKind Kind, ApiError Error, TimeSpan? RetryAfter = null)
{
    public static Refusal Invalid(string error, string message) => new(RefusalKind.Invalid, new ApiError(error, message));
    public static Refusal NotAllowed(string error, string message) => new(RefusalKind.NotAllowed, new ApiError(error, message));
    public static Refusal Unauthenticated(string error, string message) => new(RefusalKind.Unauthenticated, new ApiError(error, message));
    public static Refusal NotFound(string error, string message) => new(RefusalKind.NotFound, new ApiError(error, message));
    public static Refusal TooMany(string error, string message, TimeSpan retryAfter) => new(RefusalKind.TooMany, new ApiError(error, message), retryAfter);
    public static Refusal Unavailable(string error, string message, TimeSpan retryAfter) => new(RefusalKind.Unavailable, new ApiError(error, message), retryAfter);
}
