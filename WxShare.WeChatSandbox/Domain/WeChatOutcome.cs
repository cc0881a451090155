namespace WxShare.WeChatSandbox.Domain;

/// <summary>What a WeChat API call produced, before it is turned into an HTTP response.</summary>
internal abstract record WeChatOutcome;

internal sealed record AccessTokenIssued(string AccessToken, int ExpiresIn) : WeChatOutcome;

internal sealed record TicketIssued(string Ticket, int ExpiresIn) : WeChatOutcome;

internal sealed record WeChatError(int Code) : WeChatOutcome;

internal sealed record CallbackIpList(IReadOnlyList<string> IpList) : WeChatOutcome;
