using WxShare.Errors;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Storage;
using WxShare.WeChat;

namespace WxShare.Functions.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class CredentialStoreTests(AzuriteFixture azurite)
{
    private const string AppId = "wx0000000000000001";
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static IssuedCredential Credential(string value, DateTimeOffset at) => new(value, at, at.AddHours(2));

    private async Task<CredentialStore> NewStoreAsync()
    {
        var store = new CredentialStore(azurite.NewTable());
        await store.EnsureTableAsync(CancellationToken.None);
        return store;
    }

    private static async Task<CredentialRecord> StoreAsync(CredentialStore store, IssuedCredential token, IssuedCredential ticket)
    {
        var current = await store.GetAsync(AppId, CancellationToken.None);
        var leased = await store.TryAcquireLeaseAsync(current, new RefreshLease("me", T0.AddMinutes(2)), CancellationToken.None);
        Assert.NotNull(leased);
        Assert.True(await store.TryCompleteRefreshAsync(leased, new RefreshOutcome(token, ticket, null, null), CancellationToken.None));
        return await store.GetAsync(AppId, CancellationToken.None);
    }

    [Fact]
    public async Task A_missing_table_or_row_reads_as_empty()
    {
        var store = new CredentialStore(azurite.NewTable());
        var record = await store.GetAsync(AppId, CancellationToken.None);
        Assert.False(record.Exists);
        Assert.Null(record.JsapiTicket);
    }

    [Fact]
    public async Task Round_trips_credentials_keyed_by_app_id()
    {
        var store = await NewStoreAsync();
        var token = Credential(new string('t', 512), T0);
        var ticket = Credential("ticket-1", T0);
        var stored = await StoreAsync(store, token, ticket);

        Assert.Equal(token, stored.AccessToken);
        Assert.Equal(ticket, stored.JsapiTicket);
        Assert.Null(stored.Lease);
        Assert.Null(stored.LastFailure);
        Assert.False((await store.GetAsync("wx0000000000000002", CancellationToken.None)).Exists);
    }

    [Fact]
    public async Task A_writer_holding_a_stale_etag_loses_and_changes_nothing()
    {
        var store = await NewStoreAsync();
        await StoreAsync(store, Credential("token-1", T0), Credential("ticket-1", T0));
        var readByA = await store.GetAsync(AppId, CancellationToken.None);
        var readByB = await store.GetAsync(AppId, CancellationToken.None);

        var leasedByA = await store.TryAcquireLeaseAsync(readByA, new RefreshLease("a", T0.AddMinutes(2)), CancellationToken.None);
        Assert.NotNull(leasedByA);
        Assert.Null(await store.TryAcquireLeaseAsync(readByB, new RefreshLease("b", T0.AddMinutes(2)), CancellationToken.None));

        Assert.True(await store.TryCompleteRefreshAsync(leasedByA,
            new RefreshOutcome(Credential("token-2", T0.AddMinutes(100)), Credential("ticket-2", T0.AddMinutes(100)), null, null), CancellationToken.None));
        // B's older credentials, written with the ETag it read before A's write, must not replace A's newer ones.
        Assert.False(await store.TryCompleteRefreshAsync(readByB with { Lease = new RefreshLease("b", T0.AddMinutes(2)) },
            new RefreshOutcome(Credential("token-old", T0), Credential("ticket-old", T0), null, null), CancellationToken.None));

        var stored = await store.GetAsync(AppId, CancellationToken.None);
        Assert.Equal("token-2", stored.AccessToken?.Value);
        Assert.Equal("ticket-2", stored.JsapiTicket?.Value);
    }

    [Fact]
    public async Task Two_first_writers_on_an_empty_row_cannot_both_win()
    {
        var store = await NewStoreAsync();
        var empty = await store.GetAsync(AppId, CancellationToken.None);
        var first = await store.TryAcquireLeaseAsync(empty, new RefreshLease("a", T0.AddMinutes(2)), CancellationToken.None);
        var second = await store.TryAcquireLeaseAsync(empty, new RefreshLease("b", T0.AddMinutes(2)), CancellationToken.None);
        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Equal("a", (await store.GetAsync(AppId, CancellationToken.None)).Lease?.Owner);
    }

    [Fact]
    public async Task A_failed_refresh_records_its_error_beside_the_credentials_it_left_intact()
    {
        var store = await NewStoreAsync();
        var token = Credential("token-1", T0);
        var ticket = Credential("ticket-1", T0);
        var before = await StoreAsync(store, token, ticket);

        var leased = await store.TryAcquireLeaseAsync(before, new RefreshLease("me", T0.AddMinutes(102)), CancellationToken.None);
        var failure = new RefreshFailure(ApiCall.AccessToken, 40164, "invalid ip 203.0.113.9, not in whitelist", T0.AddMinutes(100));
        Assert.True(await store.TryCompleteRefreshAsync(leased!, new RefreshOutcome(null, null, failure, T0.AddMinutes(130)), CancellationToken.None));

        var after = await store.GetAsync(AppId, CancellationToken.None);
        Assert.Equal(token, after.AccessToken);
        Assert.Equal(ticket, after.JsapiTicket);
        Assert.Equal(failure, after.LastFailure);
        Assert.Equal(T0.AddMinutes(130), after.RetryNotBefore);
        Assert.Null(after.Lease);
    }

    [Fact]
    public async Task A_success_after_a_failure_clears_the_failure()
    {
        var store = await NewStoreAsync();
        var before = await StoreAsync(store, Credential("token-1", T0), Credential("ticket-1", T0));
        var leased = await store.TryAcquireLeaseAsync(before, new RefreshLease("me", T0.AddMinutes(2)), CancellationToken.None);
        await store.TryCompleteRefreshAsync(leased!, new RefreshOutcome(null, null, new RefreshFailure(ApiCall.JsapiTicket, -1, "system error", T0), null), CancellationToken.None);

        var after = await StoreAsync(store, Credential("token-2", T0.AddMinutes(5)), Credential("ticket-2", T0.AddMinutes(5)));
        Assert.Null(after.LastFailure);
        Assert.Equal("ticket-2", after.JsapiTicket?.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("expired")]
    public async Task Refuses_to_store_an_empty_or_already_expired_credential(string kind)
    {
        var store = await NewStoreAsync();
        var before = await StoreAsync(store, Credential("token-1", T0), Credential("ticket-1", T0));
        var leased = await store.TryAcquireLeaseAsync(before, new RefreshLease("me", T0.AddMinutes(2)), CancellationToken.None);
        var bad = kind == "" ? new IssuedCredential("", T0, T0.AddHours(2)) : new IssuedCredential("ticket-2", T0, T0);

        await Assert.ThrowsAsync<ArgumentException>(() =>
            store.TryCompleteRefreshAsync(leased!, new RefreshOutcome(null, bad, null, null), CancellationToken.None));
        Assert.Equal("ticket-1", (await store.GetAsync(AppId, CancellationToken.None)).JsapiTicket?.Value);
    }
}
