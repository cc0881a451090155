using WxShare.Storage;
using WxShare.WeChat;

namespace WxShare.Signing;

/// <param name="CardTicket">The stored wx_card api_ticket (check its expiry before use); for accounts with CardTicket=true.</param>
public sealed record TicketLookup(IssuedCredential? Ticket, RefreshFailure? LastFailure, IssuedCredential? CardTicket = null);
