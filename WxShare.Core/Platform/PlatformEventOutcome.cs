namespace WxShare.Platform;

/// <summary>What an accepted push did.</summary>
public enum PlatformEventEffect
{
    /// <summary>A component_verify_ticket newer than the stored one was stored with its time.</summary>
    TicketStored,
    /// <summary>The push repeats or predates what is stored (WeChat re-pushes when unanswered for 5 s): nothing changed.</summary>
    AlreadyApplied,
    /// <summary>authorized/updateauthorized: the code was exchanged and the account stored with its refresh token.</summary>
    AuthorizerStored,
    /// <summary>authorized/updateauthorized, but api_query_auth failed: the code is stored for another exchange (<see cref="AuthorizerStatus.PendingExchange"/>).</summary>
    ExchangeDeferred,
    /// <summary>unauthorized: the account is marked so, its record kept.</summary>
    AuthorizerUnauthorized,
    /// <summary>Another InfoType: acknowledged, nothing stored.</summary>
    Ignored,
}

/// <summary>
/// The event receiver's answer: accepted (the route answers the plain text <c>success</c>), or rejected with a reason
/// (the route answers <see cref="PlatformEventRejections.StatusCode"/> and a JSON error; nothing was stored).
/// </summary>
public sealed record PlatformEventOutcome(PlatformEventRejection? Rejection, PlatformEvent? Event, PlatformEventEffect? Effect)
{
    /// <summary>What WeChat expects as the answer to an accepted push; anything else makes it push again.</summary>
    public const string SuccessBody = "success";

    public bool Accepted => Rejection is null;

    public static PlatformEventOutcome Rejected(PlatformEventRejection rejection) => new(rejection, null, null);

    public static PlatformEventOutcome Applied(PlatformEvent pushed, PlatformEventEffect effect) => new(null, pushed, effect);
}
