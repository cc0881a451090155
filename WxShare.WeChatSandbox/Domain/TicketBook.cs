namespace WxShare.WeChatSandbox.Domain;

/// <summary>The tickets of one type issued for one appid. Tickets are never revoked, only expire.</summary>
internal sealed class TicketBook
{
    private readonly Dictionary<string, IssuedCredential> _byValue = new(StringComparer.Ordinal);
    private IssuedCredential? _newest;

    public void Add(IssuedCredential ticket)
    {
        _byValue[ticket.Value] = ticket;
        _newest = ticket;
    }

    // All tickets share one lifetime, so if the newest has expired every older one has too.
    public IssuedCredential? NewestValidAt(DateTimeOffset now) => _newest is { } newest && newest.IsValidAt(now) ? newest : null;

    public bool IsValidAt(string ticket, DateTimeOffset now) => _byValue.TryGetValue(ticket, out var issued) && issued.IsValidAt(now);
}
