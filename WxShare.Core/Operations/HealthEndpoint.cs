using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WxShare.Configuration;
using WxShare.Accounts;
using WxShare.Errors;
using WxShare.Http;
using WxShare.Platform;
using WxShare.Storage;
using WxShare.WeChat;

namespace WxShare.Operations;

/// <summary>
/// GET /api/health: per account a status and a reason; 200 unless some account is unhealthy (then 503), so an uptime
/// monitor can alert on the status code alone. Anonymous callers get only that (<see cref="PublicHealthReport"/>); a
/// key with route ops gets, for the accounts it reaches, the credentials' fetch and expiry times, the last refresh, the
/// last WeChat error with its errmsg, rid and advice, the back-off and the quota. Each third-party platform is reported
/// beside the accounts (<see cref="PlatformHealth"/>), and its status joins the overall one. Reads each platform's rows
/// (one query of its authorizers, two point reads) and then each account's row once, through the bounded client, one
/// read shared by concurrent checks (<see cref="HealthReads"/>); never calls WeChat and never puts a token, ticket or
/// secret in the body.
/// </summary>
public sealed partial class HealthEndpoint(
    AccountRegistry accounts,
    PlatformRegistry platforms,
    AuthorizerDirectory directory,
    [FromKeyedServices(CredentialTableFactory.ColdReads)] CredentialStore coldStore,
    [FromKeyedServices(CredentialTableFactory.ColdReads)] PlatformStore coldPlatformStore,
    HealthReads reads,
    IOptions<StorageOptions> storageOptions,
    TimeProvider time,
    ApiErrorAdvisor advisor,
    ILogger<HealthEndpoint> logger)
{
    public const string JsapiTicketType = "jsapi";
    public const string CardTicketType = "wx_card";
    /// <summary>A WeCom app's agent ticket, by the type WeCom's ticket/get takes; its corp ticket is under <see cref="JsapiTicketType"/>.</summary>
    public const string AgentTicketType = "agent_config";
    public static readonly TimeSpan TicketMargin = TimeSpan.FromMinutes(15);

    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // The edge has checked a key that was sent (route ops); without one the answer is the public view.
        var key = OperatorCaller.KeyOf(request.HttpContext);
        HealthSnapshot snapshot;
        try
        {
            snapshot = await reads.ReadAsync(ReadRowsAsync, time.GetUtcNow()).WaitAsync(cancellationToken);
        }
        catch (StorageUnavailableException e)
        {
            LogStorageFailed(e);
            throw; // the edge answers a JSON 503 (ApiErrors.StorageUnavailable)
        }

        var now = time.GetUtcNow();
        // A key sees the accounts it reaches (the shared read holds them all); a platform spans accounts no setting names
        // in advance (its authorizers), so only a key that reaches every account sees platforms.
        var health = snapshot.Accounts.Select((account, i) => (Account: account, Record: snapshot.Rows[i]))
            .Where(a => key is null || key.AllowsAccount(a.Account))
            .Select(a => Assess(a.Account, a.Record, now, advisor)).ToArray();
        var platformHealth = snapshot.Platforms
            .Where(_ => key is null || key.AllowsAllAccounts)
            .Select(p => PlatformHealth.Assess(p, now, advisor)).ToArray();
        var overall = health.Select(h => h.Status).Concat(platformHealth.Select(p => p.Status)).MaxBy(HealthStatus.Severity) ?? HealthStatus.Healthy;
        var statusCode = overall == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        return key is null
            ? OperationsResults.Json(new PublicHealthReport(overall, health.Select(h => h.Public()).ToArray())
            {
                Platforms = platformHealth.Length == 0 ? null : platformHealth.Select(p => p.Public()).ToArray(),
            }, OperationsJsonContext.Answers.PublicHealthReport, statusCode)
            : OperationsResults.Json(new HealthReport(overall, now, health) { Platforms = platformHealth.Length == 0 ? null : platformHealth },
                OperationsJsonContext.Answers.HealthReport, statusCode);
    }

    /// <summary>
    /// Each platform's rows, then every account's row (the authorizers as those rows say), through the bounded client
    /// (the cold-read timeout and retries), on no caller's cancellation: concurrent health checks share the read.
    /// </summary>
    private async Task<HealthSnapshot> ReadRowsAsync()
    {
        // Real time, whatever clock the app runs on: it bounds a wait on the network.
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(storageOptions.Value.ColdReadTimeoutSeconds));
        try
        {
            var states = await Task.WhenAll(platforms.All.Select(p => PlatformState.ReadAsync(p, coldPlatformStore, coldStore, budget.Token)));
            // The accounts reported are those the platform rows just read say are served, not what the last tick saw.
            foreach (var state in states)
                directory.Apply(state.Platform, state.Authorizers);
            var all = accounts.All;
            return new HealthSnapshot(all, await Task.WhenAll(all.Select(a => coldStore.GetAsync(a.StorageKey, budget.Token))), states);
        }
        catch (OperationCanceledException e) when (budget.IsCancellationRequested)
        {
            throw new StorageUnavailableException("every account", e);
        }
    }

    public static AccountHealth Assess(Account account, CredentialRecord record, DateTimeOffset now, ApiErrorAdvisor advisor)
    {
        // Pages need every ticket that signs them: a WeCom app's agent ticket counts as its corp ticket does. The status
        // follows the weakest: one missing, else the one that expires first.
        var signing = SigningTickets(account, record)
            .Select(t => (t.Name, Left: t.Ticket is { } c && c.IsValidAt(now) ? c.ExpiresAt - now : (TimeSpan?)null))
            .ToArray();
        var (ticket, left) = signing.OrderBy(t => t.Left ?? TimeSpan.MinValue).First();
        var failure = record.LastFailure;
        var advice = failure is null ? null : advisor.Advise(account, failure);
        var (status, reason) = (left, failure) switch
        {
            (null, _) => (HealthStatus.Unhealthy, $"No valid {ticket} is stored: pages cannot be signed." + FailureNote(account, failure, advice)),
            ({ } l, { }) when l <= TicketMargin => (HealthStatus.Unhealthy,
                $"The {ticket} expires in {Minutes(l)} and the last refresh failed." + FailureNote(account, failure, advice)),
            (_, { }) => (HealthStatus.Degraded, $"The last refresh failed; the stored {ticket} serves {Minutes(left.Value)} more." + FailureNote(account, failure, advice)),
            _ => (HealthStatus.Healthy, "The " + string.Join(", the ", signing.Select((t, i) => $"{t.Name}{(i == 0 ? " is" : "")} valid for {Minutes(t.Left!.Value)}")) + "."),
        };

        var publicReason = (left, failure) switch
        {
            (null, _) => $"No valid {ticket} is stored: pages cannot be signed.",
            ({ } l, { }) when l <= TicketMargin => $"The {ticket} expires soon and the last refresh failed.",
            (_, { }) => $"The last refresh failed; the stored {ticket} still signs pages.",
            _ => "Pages can be signed.",
        };
        if (failure is not null)
            publicReason += " " + ApiErrorAdvisor.PublicNote(account, failure);

        if (QuotaHealth.LowQuotaReason(record, now) is { } quotaReason)
        {
            (status, reason) = (status == HealthStatus.Healthy ? HealthStatus.Degraded : status, reason + " " + quotaReason);
            publicReason += " The daily quota is nearly spent.";
        }

        return new AccountHealth(
            account.Name, account.AppId, account.AgentId, KindOf(account), account.Platform, status, reason,
            Describe(record.AccessToken, now),
            TicketsOf(account, record, now),
            LastRefreshOf(record),
            failure is null ? null : new LastApiError(failure.Call.ToString(), failure.ErrorCode, failure.Message, failure.At, advice!.Rid, advice),
            record.RetryNotBefore > now ? record.RetryNotBefore : null,
            account.Relay)
        {
            Quota = QuotaHealth.Of(record, now),
            PublicReason = publicReason,
        };
    }

    /// <summary>What the account is, by where its credentials come from.</summary>
    private static string KindOf(Account account) => account switch
    {
        { IsAuthorizer: true } => AccountHealth.AuthorizerKind,
        { Kind: AccountKind.WeCom } => AccountHealth.WeComAppKind,
        _ => AccountHealth.OfficialAccountKind,
    };

    /// <summary>The tickets pages are signed with, by the names the reasons give them.</summary>
    private static (string Name, IssuedCredential? Ticket)[] SigningTickets(Account account, CredentialRecord record) =>
        account.Kind == AccountKind.WeCom
            ? [("corp ticket", record.JsapiTicket), ("agent ticket", record.AgentTicket)]
            : [("jsapi_ticket", record.JsapiTicket)];

    /// <summary>
    /// Each ticket the account keeps: the jsapi_ticket (a WeCom corp's ticket), the card api_ticket where CardTicket=true,
    /// and a WeCom app's agent ticket.
    /// </summary>
    private static Dictionary<string, CredentialHealth?> TicketsOf(Account account, CredentialRecord record, DateTimeOffset now)
    {
        var tickets = new Dictionary<string, CredentialHealth?> { [JsapiTicketType] = Describe(record.JsapiTicket, now) };
        if (account.CardTicket)
            tickets[CardTicketType] = Describe(record.CardTicket, now);
        if (account.Kind == AccountKind.WeCom)
            tickets[AgentTicketType] = Describe(record.AgentTicket, now);
        return tickets;
    }

    /// <summary>
    /// A refresh that succeeds clears the stored failure, so the row says which came last: a failure when one is
    /// stored, else the newest fetch.
    /// </summary>
    private static LastRefresh? LastRefreshOf(CredentialRecord record)
    {
        if (record.LastFailure is { } failure)
            return new LastRefresh(failure.At, "failed");
        var fetched = new[] { record.AccessToken?.FetchedAt, record.JsapiTicket?.FetchedAt, record.CardTicket?.FetchedAt, record.AgentTicket?.FetchedAt }.Max();
        return fetched is { } at ? new LastRefresh(at, "succeeded") : null;
    }

    internal static CredentialHealth? Describe(IssuedCredential? credential, DateTimeOffset now) =>
        credential is null ? null
            : new CredentialHealth(credential.FetchedAt, credential.ExpiresAt, Math.Max(0, (long)(credential.ExpiresAt - now).TotalSeconds));

    private static string FailureNote(Account account, RefreshFailure? failure, ApiErrorAdvice? advice) =>
        failure is null ? "" : " " + ApiErrorAdvisor.Describe(account, failure, advice!);

    private static string Minutes(TimeSpan span) => $"{(int)span.TotalMinutes} min";

    [LoggerMessage(LogLevel.Error, "The health check could not read the credential table")]
    private partial void LogStorageFailed(Exception exception);
}

/// <summary>
/// The rows health reads, shared: checks that arrive while a read is in flight wait for that one, and a failed read is
/// remembered for <see cref="FailureMemory"/>, so under a storage hang a monitor polling health (or many of them)
/// queues nothing and answers 503 storage_unavailable at once.
/// </summary>
public sealed class HealthReads
{
    public static readonly TimeSpan FailureMemory = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private Task<HealthSnapshot>? _inFlight;
    private (Exception Cause, DateTimeOffset Until)? _failure;

    public Task<HealthSnapshot> ReadAsync(Func<Task<HealthSnapshot>> read, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_failure is { } failed && now < failed.Until)
                return Task.FromException<HealthSnapshot>(new StorageUnavailableException("every account", failed.Cause));
            // On the pool, so that the read's own clean-up (under this lock) always follows this assignment.
            return _inFlight ??= Task.Run(() => ReadOnceAsync(read, now));
        }
    }

    private async Task<HealthSnapshot> ReadOnceAsync(Func<Task<HealthSnapshot>> read, DateTimeOffset startedAt)
    {
        try
        {
            var rows = await read();
            lock (_gate)
                _failure = null;
            return rows;
        }
        catch (StorageUnavailableException e)
        {
            lock (_gate)
                _failure = (e.InnerException ?? e, startedAt + FailureMemory);
            throw;
        }
        finally
        {
            lock (_gate)
                _inFlight = null;
        }
    }
}

/// <summary>What one health read found: the accounts as the registry listed them then, each one's row (same order), and each platform's rows.</summary>
public sealed record HealthSnapshot(IReadOnlyList<Account> Accounts, CredentialRecord[] Rows, IReadOnlyList<PlatformState> Platforms);
