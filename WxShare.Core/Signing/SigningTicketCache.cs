using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WxShare.Configuration;
using WxShare.Storage;
using WxShare.WeChat;

namespace WxShare.Signing;

/// <summary>
/// Serves each account's ticket from memory until shortly before its expiry, so a request never waits on Table
/// Storage while a valid ticket is held (stale-while-revalidate). Every <see cref="SigningOptions.TicketCacheSeconds"/>
/// a request starts a background re-read, one at a time per account, to pick up a refresh done by another instance; if
/// that read fails the ticket in memory keeps serving and the outage is logged once when it starts and once when it
/// ends. Only an account with nothing servable in memory (a cold start) waits for storage, through the bounded client;
/// a failed cold read is remembered for <see cref="ColdReadFailureMemory"/>, so a storage hang does not queue requests.
/// Keyed by <see cref="Accounts.Account.StorageKey"/>.
/// </summary>
public sealed partial class SigningTicketCache(
    CredentialStore store,
    [FromKeyedServices(CredentialTableFactory.ColdReads)] CredentialStore coldStore,
    IOptions<SigningOptions> signingOptions,
    IOptions<StorageOptions> storageOptions,
    TimeProvider time,
    ILogger<SigningTicketCache> logger) : IDisposable
{
    /// <summary>A ticket this close to its expiry is no longer handed out: the page still has to call wx.config with it.</summary>
    public static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MissingTicketRecheck = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a failed cold read is remembered: requests queued behind it, and those arriving meanwhile, answer 503 at
    /// once instead of each waiting its own cold-read timeout (under a storage hang the Nth waiter would wait N × 3 s).
    /// </summary>
    public static readonly TimeSpan ColdReadFailureMemory = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, Account> _accounts = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    /// <returns>The ticket to sign with (null when no servable ticket is stored) and the last refresh failure.</returns>
    /// <exception cref="StorageUnavailableException">Only when nothing servable is in memory and storage cannot be read.</exception>
    public ValueTask<TicketLookup> GetAsync(string storageKey, CancellationToken cancellationToken) =>
        TryGetInMemory(storageKey, out var lookup) ? new(lookup) : new(ReadColdAsync(storageKey, AccountOf(storageKey), cancellationToken));

    /// <summary>
    /// What <see cref="GetAsync"/> answers without waiting, when memory holds it (starting the periodic background re-read
    /// when it is due); false when only storage can answer. Lets a caller set up its cancellation only for that wait.
    /// </summary>
    public bool TryGetInMemory(string storageKey, [MaybeNullWhen(false)] out TicketLookup lookup)
    {
        var account = AccountOf(storageKey);
        var now = time.GetUtcNow();
        if (account.Current is { } snapshot && snapshot.ServesAt(now))
        {
            if (now >= snapshot.ReadAgainAt && snapshot.Lookup.Ticket is not null)
                StartBackgroundRead(storageKey, account);
            lookup = snapshot.Lookup;
            return true;
        }
        lookup = null;
        return false;
    }

    private Account AccountOf(string storageKey) => _accounts.GetOrAdd(storageKey, static _ => new Account());

    /// <summary>The background read in flight for the account, or a completed task; lets tests wait for it.</summary>
    internal Task BackgroundReadOf(string storageKey) =>
        _accounts.TryGetValue(storageKey, out var account) ? account.BackgroundRead : Task.CompletedTask;

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private static bool Servable(IssuedCredential? ticket, DateTimeOffset now) =>
        ticket is not null && ticket.IsValidAt(now + ExpiryMargin);

    private async Task<TicketLookup> ReadColdAsync(string storageKey, Account account, CancellationToken cancellationToken)
    {
        ThrowIfColdReadFailedLately(storageKey, account);
        await account.ColdRead.WaitAsync(cancellationToken);
        try
        {
            if (account.Current is { } readMeanwhile && readMeanwhile.ServesAt(time.GetUtcNow()))
                return readMeanwhile.Lookup;
            ThrowIfColdReadFailedLately(storageKey, account); // the read this one queued behind has just failed
            // Real time, whatever clock the app runs on: it bounds a wait on the network.
            using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(storageOptions.Value.ColdReadTimeoutSeconds));
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
            try
            {
                return await ReadAsync(storageKey, account, coldStore, linked.Token, cancellationToken);
            }
            catch (StorageUnavailableException e)
            {
                account.ColdReadFailure = new ColdReadFailure(e.InnerException ?? e, time.GetUtcNow() + ColdReadFailureMemory);
                throw;
            }
        }
        finally
        {
            account.ColdRead.Release();
        }
    }

    private void ThrowIfColdReadFailedLately(string storageKey, Account account)
    {
        if (account.ColdReadFailure is { } failure && time.GetUtcNow() < failure.Until)
            throw new StorageUnavailableException(storageKey, failure.Cause);
    }

    private void StartBackgroundRead(string storageKey, Account account)
    {
        if (Interlocked.CompareExchange(ref account.ReadInFlight, 1, 0) != 0)
            return;
        account.BackgroundRead = Task.Run(() => ReadInBackgroundAsync(storageKey, account));
    }

    private async Task ReadInBackgroundAsync(string storageKey, Account account)
    {
        try
        {
            await ReadAsync(storageKey, account, store, _stopping.Token, _stopping.Token);
        }
        catch (StorageUnavailableException)
        {
            // Logged as an outage; keep serving the ticket in memory and try again one cache period from now.
            if (account.Current is { } current)
                account.Current = current with { ReadAgainAt = time.GetUtcNow() + CachePeriod };
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        finally
        {
            Volatile.Write(ref account.ReadInFlight, 0);
        }
    }

    private TimeSpan CachePeriod => TimeSpan.FromSeconds(signingOptions.Value.TicketCacheSeconds);

    private async Task<TicketLookup> ReadAsync(
        string storageKey, Account account, CredentialStore from, CancellationToken readToken, CancellationToken callerToken)
    {
        CredentialRecord record;
        try
        {
            record = await from.GetAsync(storageKey, readToken);
        }
        catch (OperationCanceledException) when (callerToken.IsCancellationRequested)
        {
            throw; // the caller went away; that says nothing about storage
        }
        catch (Exception e)
        {
            OutageStarts(storageKey, account, e);
            throw e as StorageUnavailableException ?? new StorageUnavailableException(storageKey, e);
        }
        OutageEnds(storageKey, account);

        var now = time.GetUtcNow();
        var ticket = Servable(record.JsapiTicket, now) ? record.JsapiTicket : null;
        var agentTicket = Servable(record.AgentTicket, now) ? record.AgentTicket : null;
        var lookup = new TicketLookup(ticket, record.LastFailure, record.CardTicket, agentTicket);
        var snapshot = new Snapshot(lookup, now + (ticket is null ? MissingTicketRecheck : CachePeriod));
        account.Current = snapshot;
        return snapshot.Lookup;
    }

    private void OutageStarts(string storageKey, Account account, Exception exception)
    {
        lock (account)
        {
            if (account.OutageSince is not null)
                return;
            account.OutageSince = time.GetUtcNow();
        }
        LogOutageStarted(exception, storageKey);
    }

    private void OutageEnds(string storageKey, Account account)
    {
        DateTimeOffset since;
        lock (account)
        {
            if (account.OutageSince is not { } started)
                return;
            since = started;
            account.OutageSince = null;
        }
        LogOutageEnded(storageKey, time.GetUtcNow() - since);
    }

    [LoggerMessage(LogLevel.Error, "Table Storage cannot be read for {StorageKey}: signing serves the ticket in memory while it is valid, and answers 503 storage_unavailable without one, until storage answers again")]
    private partial void LogOutageStarted(Exception exception, string storageKey);

    [LoggerMessage(LogLevel.Warning, "Table Storage answers again for {StorageKey} after an outage of {Outage}")]
    private partial void LogOutageEnded(string storageKey, TimeSpan outage);

    /// <summary>One account's cached state. Snapshots are replaced whole, so requests read them without locks.</summary>
    private sealed class Account
    {
        public volatile Snapshot? Current;
        public int ReadInFlight;
        public Task BackgroundRead = Task.CompletedTask;
        public readonly SemaphoreSlim ColdRead = new(1, 1);
        public DateTimeOffset? OutageSince;
        public volatile ColdReadFailure? ColdReadFailure;
    }

    /// <param name="Until">Until when requests with nothing in memory answer 503 without reading.</param>
    private sealed record ColdReadFailure(Exception Cause, DateTimeOffset Until);

    /// <param name="ReadAgainAt">
    /// With a ticket: when a request starts the next background re-read. Without one: how long "none stored" is remembered.
    /// </param>
    private sealed record Snapshot(TicketLookup Lookup, DateTimeOffset ReadAgainAt)
    {
        // A WeCom app's agent ticket expires on its own schedule: once it is no longer servable, read again.
        public bool ServesAt(DateTimeOffset now) => Lookup.Ticket is null
            ? now < ReadAgainAt
            : Servable(Lookup.Ticket, now) && (Lookup.AgentTicket is null || Servable(Lookup.AgentTicket, now));
    }
}
