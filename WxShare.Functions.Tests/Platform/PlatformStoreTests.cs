using WxShare.Functions.Tests.Infrastructure;
using WxShare.Platform;
using WxShare.WeChat;

namespace WxShare.Functions.Tests.Platform;

/// <summary>The platform rows in Azurite: ETag-conditional writes, one partition per platform, authorizers listed apart from the component row.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PlatformStoreTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset At = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

    private async Task<PlatformStore> NewStoreAsync()
    {
        var table = azurite.NewTable();
        await table.CreateIfNotExistsAsync();
        return new PlatformStore(table);
    }

    [Fact]
    public async Task A_write_from_a_stale_read_changes_nothing()
    {
        var store = await NewStoreAsync();
        var empty = await store.GetComponentAsync("saas", CancellationToken.None);
        var first = await store.TryWriteComponentAsync(empty, empty with { Ticket = new VerifyTicket("ticket@@@1", At, At) }, CancellationToken.None);
        Assert.NotNull(first);

        // A second writer that read before the first wrote loses, whether it adds or updates.
        Assert.Null(await store.TryWriteComponentAsync(empty, empty with { Ticket = new VerifyTicket("ticket@@@2", At, At) }, CancellationToken.None));
        var second = await store.TryWriteComponentAsync(first, first with { Ticket = new VerifyTicket("ticket@@@3", At.AddMinutes(10), At.AddMinutes(10)) }, CancellationToken.None);
        Assert.NotNull(second);
        Assert.Null(await store.TryWriteComponentAsync(first, first with { Ticket = null }, CancellationToken.None));

        var stored = await store.GetComponentAsync("saas", CancellationToken.None);
        Assert.True(stored.Ticket?.Value == "ticket@@@3", "A lost race changed the row.");
    }

    [Fact]
    public async Task Authorizers_are_listed_per_platform_without_the_component_row()
    {
        var store = await NewStoreAsync();
        await store.UpdateComponentAsync("saas", c => c with { Ticket = new VerifyTicket("ticket@@@1", At, At) }, CancellationToken.None);
        foreach (var (platform, appId) in new[] { ("saas", "wxa1"), ("saas", "wxa2"), ("other", "wxa3") })
            await store.UpdateAuthorizerAsync(platform, appId, a => a with
            {
                Status = AuthorizerStatus.Authorized, RefreshToken = "refreshtoken@@@" + appId, FuncInfo = [1, 15], AuthorizedAt = At, LastEventAt = At,
            }, CancellationToken.None);

        var listed = await store.ListAuthorizersAsync("saas", CancellationToken.None);

        Assert.Equal(["wxa1", "wxa2"], listed.Select(a => a.AuthorizerAppId).Order());
        Assert.All(listed, a => Assert.Equal((AuthorizerStatus.Authorized, "refreshtoken@@@" + a.AuthorizerAppId, 2), (a.Status, a.RefreshToken, a.FuncInfo.Count)));
        Assert.Empty(await store.ListAuthorizersAsync("none", CancellationToken.None));
    }

    [Fact]
    public async Task An_update_whose_change_is_null_writes_nothing()
    {
        var store = await NewStoreAsync();

        var result = await store.UpdateAuthorizerAsync("saas", "wxa1", _ => null, CancellationToken.None);

        Assert.False(result.Exists);
        Assert.Empty(await store.ListAuthorizersAsync("saas", CancellationToken.None));
    }
}
