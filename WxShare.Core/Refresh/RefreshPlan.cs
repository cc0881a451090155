namespace WxShare.Refresh;

public enum RefreshDecision
{
    NotDue,
    Due,
    /// <summary>Due, but a configuration or quota error asked WeChat to be left alone for a while.</summary>
    BackingOff,
    /// <summary>Due, but another instance holds the refresh lease.</summary>
    LeasedByOther,
}

public sealed record RefreshPlan(RefreshDecision Decision, bool AccessTokenDue, bool JsapiTicketDue, bool CardTicketDue = false, bool AgentTicketDue = false);
