using Azure;
using Azure.Data.Tables;
using WxShare.Refresh;
using WxShare.Telemetry;
using WxShare.WeChat;

namespace WxShare.Storage;

/// <summary>
/// The credential table. Every write is conditional on the ETag the writer read, so a writer that lost a race
/// changes nothing; and no write can drop a stored credential, only replace it with a newer, non-empty one (except
/// <see cref="ForgetCredentialsAsync"/>, for an authorizer that withdrew).
/// Any failure of Table Storage itself surfaces as <see cref="StorageUnavailableException"/>, the one notion of an
/// outage that the signing route and the operator routes answer 503 to.
/// What it reads and stores feeds the metrics (lifetimes, refreshes), so that no refresh code needs a line for them.
/// </summary>
public sealed class CredentialStore(TableClient table, StorageReadCounter? reads = null, WxShareMetrics? metrics = null)
{
    public async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await table.CreateIfNotExistsAsync(cancellationToken);
        }
        catch (Exception e) when (IsOutage(e, cancellationToken))
        {
            throw new StorageUnavailableException(table.Name, e);
        }
    }

    public async Task<CredentialRecord> GetAsync(string storageKey, CancellationToken cancellationToken)
    {
        reads?.Increment();
        try
        {
            var response = await table.GetEntityIfExistsAsync<CredentialEntity>(storageKey, CredentialEntity.JsSdkRowKey, cancellationToken: cancellationToken);
            var record = response.HasValue ? response.Value!.ToRecord() : CredentialRecord.Empty(storageKey);
            metrics?.SawCredentials(record);
            return record;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return CredentialRecord.Empty(storageKey); // the table itself does not exist yet
        }
        catch (Exception e) when (IsOutage(e, cancellationToken))
        {
            throw new StorageUnavailableException(storageKey, e);
        }
    }

    /// <summary>
    /// Takes the refresh lease, and records in the same conditional write what the refresh spends of a limit that every
    /// instance shares (<paramref name="attempt"/>), before anything is called: of writers racing on any instance
    /// exactly one wins, and neither a crash nor a second instance can spend an allowance twice.
    /// </summary>
    /// <returns>The record as leased (with its new ETag), or null when another writer got there first.</returns>
    public Task<CredentialRecord?> TryAcquireLeaseAsync(CredentialRecord current, RefreshLease lease, CancellationToken cancellationToken,
        RefreshAttempt? attempt = null)
    {
        var next = current with { Lease = lease };
        if (attempt is { RelayCaller: true })
            next = next with { RelayRefreshAt = attempt.At };
        if (attempt is { ForcedToken: true })
            next = next with { ForcedRefreshes = DailyAllowance.Record(next.ForcedRefreshes, attempt.At) };
        if (attempt is { ForcedToken: true, RelayCaller: true })
            next = next with { RelayForcedRefreshes = DailyAllowance.Record(next.RelayForcedRefreshes, attempt.At) };
        if (attempt is { RefreshNow: true })
            next = next with { RefreshNowAttempts = DailyAllowance.Record(next.RefreshNowAttempts, attempt.At) };
        return TryWriteAsync(current, next, cancellationToken);
    }

    /// <summary>
    /// Records a quota reading: first, before WeChat is asked, its time alone (<paramref name="readings"/> null keeps the
    /// stored ones), which makes every other instance wait an hour; then what WeChat said.
    /// </summary>
    /// <returns>The record as written, or null when another writer got there first.</returns>
    public Task<CredentialRecord?> TryRecordQuotaReadAsync(CredentialRecord current, DateTimeOffset at, IReadOnlyList<QuotaReading>? readings,
        CancellationToken cancellationToken) =>
        TryWriteAsync(current, current with { QuotaReadAt = at, QuotaReadings = readings ?? current.QuotaReadings }, cancellationToken);

    /// <summary>Counts a clear_quota call against the month's budget, before WeChat is called, so that no crash or race spends one unrecorded.</summary>
    /// <returns>The record as written, or null when another writer got there first.</returns>
    public Task<CredentialRecord?> TryRecordClearQuotaAsync(CredentialRecord current, string month, int count, CancellationToken cancellationToken) =>
        TryWriteAsync(current, current with { ClearQuotaMonth = month, ClearQuotaCount = count }, cancellationToken);

    /// <summary>Ends a back-off early: what it waited for has happened (an operator cleared the quota it waited on).</summary>
    /// <returns>The record as written, or null when another writer got there first.</returns>
    public Task<CredentialRecord?> TryLiftBackOffAsync(CredentialRecord current, CancellationToken cancellationToken) =>
        TryWriteAsync(current, current with { RetryNotBefore = null }, cancellationToken);

    /// <summary>Stores what a refresh obtained and releases its lease; a failed refresh only adds its failure.</summary>
    /// <returns>False when the record changed since <paramref name="leased"/> was read; then nothing is written.</returns>
    public async Task<bool> TryCompleteRefreshAsync(CredentialRecord leased, RefreshOutcome outcome, CancellationToken cancellationToken)
    {
        foreach (var credential in new[] { outcome.AccessToken, outcome.JsapiTicket, outcome.CardTicket, outcome.AgentTicket })
            if (credential is not null && (string.IsNullOrEmpty(credential.Value) || credential.ExpiresAt <= credential.FetchedAt))
                throw new ArgumentException("A refresh may only store non-empty credentials that expire after they were fetched.", nameof(outcome));

        var next = leased with
        {
            AccessToken = outcome.AccessToken ?? leased.AccessToken,
            JsapiTicket = outcome.JsapiTicket ?? leased.JsapiTicket,
            CardTicket = outcome.CardTicket ?? leased.CardTicket,
            AgentTicket = outcome.AgentTicket ?? leased.AgentTicket,
            PreviousJsapiTicket = PreviousTicketAfter(leased.JsapiTicket, leased.PreviousJsapiTicket, outcome.JsapiTicket),
            PreviousAgentTicket = PreviousTicketAfter(leased.AgentTicket, leased.PreviousAgentTicket, outcome.AgentTicket),
            LastFailure = outcome.Failure,
            RetryNotBefore = outcome.RetryNotBefore,
            Lease = null,
        };
        var stored = await TryWriteAsync(leased, next, cancellationToken) is not null;
        metrics?.CountRefresh(leased.AppId, outcome, stored);
        if (stored)
            metrics?.SawCredentials(next);
        return stored;
    }

    /// <summary>
    /// The one write that drops credentials: those of an authorizer that withdrew its authorization (WeChat has ended
    /// them), so that no instance serves them from the row, whatever its registry still holds. Conditional like every
    /// write; a refresh in flight then loses its race and writes nothing back. The lease and limits stay.
    /// </summary>
    public async Task ForgetCredentialsAsync(string storageKey, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var current = await GetAsync(storageKey, cancellationToken);
            var held = current is not { AccessToken: null, JsapiTicket: null, CardTicket: null, AgentTicket: null, PreviousJsapiTicket: null, PreviousAgentTicket: null };
            var forgotten = current with
            {
                AccessToken = null, JsapiTicket = null, CardTicket = null, AgentTicket = null, PreviousJsapiTicket = null, PreviousAgentTicket = null,
            };
            if (!held || await TryWriteAsync(current, forgotten, cancellationToken) is not null)
            {
                metrics?.ForgotCredentials(storageKey);
                return;
            }
        }
        throw new StorageUnavailableException(storageKey, new InvalidOperationException("The row kept changing while its credentials were dropped."));
    }

    /// <summary>A new ticket demotes the stored one to previous, unless it had already expired when the new one came.</summary>
    private static IssuedCredential? PreviousTicketAfter(IssuedCredential? stored, IssuedCredential? storedPrevious, IssuedCredential? newTicket) =>
        newTicket is null || stored is not { } replaced || replaced.Value == newTicket.Value
            ? storedPrevious
            : replaced.IsValidAt(newTicket.FetchedAt) ? replaced : null;

    private async Task<CredentialRecord?> TryWriteAsync(CredentialRecord current, CredentialRecord next, CancellationToken cancellationToken)
    {
        try
        {
            var entity = next.ToEntity();
            var response = current.Exists
                ? await table.UpdateEntityAsync(entity, current.ETag, TableUpdateMode.Replace, cancellationToken)
                : await table.AddEntityAsync(entity, cancellationToken);
            return next with { ETag = response.Headers.ETag ?? throw new InvalidOperationException("Table Storage returned no ETag.") };
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return null;
        }
        catch (Exception e) when (IsOutage(e, cancellationToken))
        {
            throw new StorageUnavailableException(current.AppId, e);
        }
    }

    // Whatever the client library throws (RequestFailedException, the AggregateException of spent retries, a timeout)
    // is an outage; only the caller's own cancellation is not.
    private static bool IsOutage(Exception e, CancellationToken cancellationToken) =>
        !(e is OperationCanceledException && cancellationToken.IsCancellationRequested);
}
