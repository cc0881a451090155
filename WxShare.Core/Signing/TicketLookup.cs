using WxShare.Storage;
using WxShare.WeChat;

namespace WxShare.Signing;

/// <param name="Ticket">The ticket that signs wx.config: an official account's jsapi_ticket, or a WeCom corp's.</param>
/// <param name="CardTicket">The stored wx_card api_ticket (check its expiry before use); for accounts with CardTicket=true.</param>
/// <param name="AgentTicket">A WeCom app's servable agent ticket; null for official accounts or when none is servable.</param>
public sealed record TicketLookup(
    IssuedCredential? Ticket, RefreshFailure? LastFailure, IssuedCredential? CardTicket = null, IssuedCredential? AgentTicket = null);
