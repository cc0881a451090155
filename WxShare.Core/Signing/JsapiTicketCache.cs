using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using WxShare.Configuration;
using WxShare.Storage;
using WxShare.WeChat;

namespace WxShare.Signing;

/// <summary>
/// Keeps the stored ticket in memory for at most <see cref="SigningOptions.TicketCacheSeconds"/> and never past its
/// expiry, so signing reads Table Storage about once a minute whatever the traffic. One read at a time per account,
/// and one account's read never waits on another's. Keyed by <see cref="Accounts.Account.StorageKey"/>.
/// </summary>
public sealed class JsapiTicketCache(CredentialStore store, IOptions<SigningOptions> options, TimeProvider time)
{
    private static readonly TimeSpan MissingTicketRecheck = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, Entry> _entries = new();
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _reading = new();

    /// <returns>The ticket to sign with (null when no valid ticket is stored) and the last refresh failure.</returns>
    public async Task<TicketLookup> GetAsync(string appId, CancellationToken cancellationToken)
    {
        if (Fresh(appId) is { } cached)
            return cached;
        var reading = _reading.GetOrAdd(appId, _ => new SemaphoreSlim(1, 1));
        await reading.WaitAsync(cancellationToken);
        try
        {
            if (Fresh(appId) is { } readMeanwhile)
                return readMeanwhile;
            var record = await store.GetAsync(appId, cancellationToken);
            var now = time.GetUtcNow();
            var ticket = record.JsapiTicket is { } t && t.IsValidAt(now) ? t : null;
            var agentTicket = record.AgentTicket is { } a && a.IsValidAt(now) ? a : null;
            var keepFor = ticket is null ? MissingTicketRecheck : TimeSpan.FromSeconds(options.Value.TicketCacheSeconds);
            var entry = new Entry(new TicketLookup(ticket, record.LastFailure, agentTicket), now + keepFor);
            _entries[appId] = entry;
            return entry.Lookup;
        }
        finally
        {
            reading.Release();
        }
    }

    private TicketLookup? Fresh(string appId)
    {
        var now = time.GetUtcNow();
        return _entries.TryGetValue(appId, out var entry)
               && now < entry.KeepUntil
               && (entry.Lookup.Ticket is null || entry.Lookup.Ticket.IsValidAt(now))
               && (entry.Lookup.AgentTicket is null || entry.Lookup.AgentTicket.IsValidAt(now))
            ? entry.Lookup
            : null;
    }

    private sealed record Entry(TicketLookup Lookup, DateTimeOffset KeepUntil);
}

/// <param name="AgentTicket">A WeCom app's valid agent ticket; null for official accounts or when none is valid.</param>
public sealed record TicketLookup(IssuedCredential? Ticket, RefreshFailure? LastFailure, IssuedCredential? AgentTicket = null);
