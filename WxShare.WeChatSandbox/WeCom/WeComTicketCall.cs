namespace WxShare.WeChatSandbox.WeCom;

public enum WeComTicketKind
{
    /// <summary>GET /cgi-bin/get_jsapi_ticket: the corp's ticket for wx.config.</summary>
    Corp,

    /// <summary>GET /cgi-bin/ticket/get?type=agent_config: the app's ticket for wx.agentConfig.</summary>
    Agent,
}

/// <summary>A ticket request the sandbox received for an app, whatever it answered (faulted and refused ones included).</summary>
public sealed record WeComTicketCall(DateTimeOffset At, string CorpId, string AgentId, WeComTicketKind Kind);

/// <summary>Requests served per WeCom endpoint, faulted and failed ones included.</summary>
public sealed record WeComCallCounts(int Token, int CorpTicket, int AgentTicket)
{
    public int Total => Token + CorpTicket + AgentTicket;
}
