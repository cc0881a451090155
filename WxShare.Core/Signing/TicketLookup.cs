using WxShare.Storage;
using WxShare.WeChat;

namespace WxShare.Signing;

public sealed record TicketLookup(IssuedCredential? Ticket, RefreshFailure? LastFailure);
