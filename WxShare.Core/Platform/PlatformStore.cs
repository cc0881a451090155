using Azure;
using Azure.Data.Tables;
using WxShare.Storage;

namespace WxShare.Platform;

/// <summary>
/// The platforms' rows in the credential table (<see cref="PlatformKeys"/>), written as <see cref="CredentialStore"/>
/// writes: each write conditional on the ETag read (a writer that lost a race changes nothing), any failure of
/// Table Storage itself a <see cref="StorageUnavailableException"/>.
/// </summary>
public sealed class PlatformStore(TableClient table)
{
    /// <summary>How many times an update re-reads and retries after losing a race before it gives up.</summary>
    private const int MaxAttempts = 5;

    public async Task<ComponentRecord> GetComponentAsync(string platformName, CancellationToken cancellationToken)
    {
        var entity = await GetAsync<ComponentEntity>(platformName, PlatformKeys.ComponentRowKey, cancellationToken);
        return entity?.ToRecord(platformName) ?? ComponentRecord.Empty(platformName);
    }

    /// <returns>The record as written (with its new ETag), or null when another writer got there first.</returns>
    public async Task<ComponentRecord?> TryWriteComponentAsync(ComponentRecord current, ComponentRecord next, CancellationToken cancellationToken) =>
        await TryWriteAsync(current.PlatformName, current.Exists, current.ETag, ComponentEntity.From(next), cancellationToken) is { } etag
            ? next with { ETag = etag }
            : null;

    /// <summary>Applies <paramref name="change"/> to the current row, re-reading after a lost race; a null change writes nothing.</summary>
    /// <returns>The row as it stands afterwards.</returns>
    public Task<ComponentRecord> UpdateComponentAsync(string platformName, Func<ComponentRecord, ComponentRecord?> change, CancellationToken cancellationToken) =>
        UpdateAsync(() => GetComponentAsync(platformName, cancellationToken), change,
            (current, next) => TryWriteComponentAsync(current, next, cancellationToken), platformName);

    public async Task<AuthorizerRecord> GetAuthorizerAsync(string platformName, string authorizerAppId, CancellationToken cancellationToken)
    {
        var entity = await GetAsync<AuthorizerEntity>(platformName, PlatformKeys.AuthorizerRow(authorizerAppId), cancellationToken);
        return entity?.ToRecord(platformName) ?? AuthorizerRecord.Empty(platformName, authorizerAppId);
    }

    /// <summary>Every account that ever authorized the platform, whatever its status, by appid.</summary>
    public async Task<IReadOnlyList<AuthorizerRecord>> ListAuthorizersAsync(string platformName, CancellationToken cancellationToken)
    {
        var partition = PlatformKeys.Partition(platformName);
        // Row keys authorizer-… sort between "authorizer-" and "authorizer." ('.' follows '-').
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partition} and RowKey gt {PlatformKeys.AuthorizerRowPrefix} and RowKey lt {"authorizer."}");
        try
        {
            var authorizers = new List<AuthorizerRecord>();
            await foreach (var entity in table.QueryAsync<AuthorizerEntity>(filter, cancellationToken: cancellationToken))
                authorizers.Add(entity.ToRecord(platformName));
            return authorizers;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return [];
        }
        catch (Exception e) when (IsOutage(e, cancellationToken))
        {
            throw new StorageUnavailableException(partition, e);
        }
    }

    /// <returns>The record as written (with its new ETag), or null when another writer got there first.</returns>
    public async Task<AuthorizerRecord?> TryWriteAuthorizerAsync(AuthorizerRecord current, AuthorizerRecord next, CancellationToken cancellationToken) =>
        await TryWriteAsync(current.PlatformName, current.Exists, current.ETag, AuthorizerEntity.From(next), cancellationToken) is { } etag
            ? next with { ETag = etag }
            : null;

    /// <summary>Applies <paramref name="change"/> to the account's current row, re-reading after a lost race; a null change writes nothing.</summary>
    public Task<AuthorizerRecord> UpdateAuthorizerAsync(string platformName, string authorizerAppId, Func<AuthorizerRecord, AuthorizerRecord?> change,
        CancellationToken cancellationToken) =>
        UpdateAsync(() => GetAuthorizerAsync(platformName, authorizerAppId, cancellationToken), change,
            (current, next) => TryWriteAuthorizerAsync(current, next, cancellationToken), platformName);

    private static async Task<T> UpdateAsync<T>(Func<Task<T>> read, Func<T, T?> change, Func<T, T, Task<T?>> tryWrite, string platformName)
        where T : class
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await read();
            if (change(current) is not { } next)
                return current;
            if (await tryWrite(current, next) is { } written)
                return written;
            if (attempt == MaxAttempts)
                throw new InvalidOperationException($"The row of platform {platformName} changed under {MaxAttempts} writes in a row; nothing was written.");
        }
    }

    private async Task<T?> GetAsync<T>(string platformName, string rowKey, CancellationToken cancellationToken) where T : class, ITableEntity
    {
        var partition = PlatformKeys.Partition(platformName);
        try
        {
            var response = await table.GetEntityIfExistsAsync<T>(partition, rowKey, cancellationToken: cancellationToken);
            return response.HasValue ? response.Value : null;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null; // the table itself does not exist yet
        }
        catch (Exception e) when (IsOutage(e, cancellationToken))
        {
            throw new StorageUnavailableException(partition, e);
        }
    }

    private async Task<ETag?> TryWriteAsync(string platformName, bool exists, ETag etag, ITableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            var response = exists
                ? await table.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, cancellationToken)
                : await table.AddEntityAsync(entity, cancellationToken);
            return response.Headers.ETag ?? throw new InvalidOperationException("Table Storage returned no ETag.");
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return null;
        }
        catch (Exception e) when (IsOutage(e, cancellationToken))
        {
            throw new StorageUnavailableException(PlatformKeys.Partition(platformName), e);
        }
    }

    // As CredentialStore: whatever the client library throws is an outage; only the caller's own cancellation is not.
    private static bool IsOutage(Exception e, CancellationToken cancellationToken) =>
        !(e is OperationCanceledException && cancellationToken.IsCancellationRequested);
}
