using WxShare.Functions.Tests.Infrastructure;
using WxShare.Storage;
using WxShare.WeChat;

namespace WxShare.Functions.Tests.Storage;

/// <summary>
/// The row keeps the jsapi_ticket (and a WeCom app's agent ticket) a refresh replaced, while it may still be valid, so the
/// diagnosis can recognise it.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PreviousJsapiTicketTests(AzuriteFixture azurite)
{
    private const string AppId = "wx0000000000000002";
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static async Task<CredentialRecord> RefreshAsync(CredentialStore store, IssuedCredential? token, IssuedCredential? ticket, IssuedCredential? agentTicket = null)
    {
        var leased = await store.TryAcquireLeaseAsync(await store.GetAsync(AppId, CancellationToken.None), new RefreshLease("me", T0.AddDays(1)), CancellationToken.None);
        Assert.True(await store.TryCompleteRefreshAsync(leased!, new RefreshOutcome(token, ticket, null, null, AgentTicket: agentTicket), CancellationToken.None));
        return await store.GetAsync(AppId, CancellationToken.None);
    }

    [Fact]
    public async Task A_new_ticket_keeps_the_replaced_one_as_previous_and_a_token_only_refresh_keeps_it_too()
    {
        var store = new CredentialStore(azurite.NewTable());
        await store.EnsureTableAsync(CancellationToken.None);
        var first = new IssuedCredential("ticket-1", T0, T0.AddHours(2));
        var second = new IssuedCredential("ticket-2", T0.AddMinutes(100), T0.AddMinutes(220));

        Assert.Null((await RefreshAsync(store, new IssuedCredential("token-1", T0, T0.AddHours(2)), first)).PreviousJsapiTicket);
        var afterSecond = await RefreshAsync(store, null, second);
        var afterTokenOnly = await RefreshAsync(store, new IssuedCredential("token-2", T0.AddMinutes(150), T0.AddMinutes(270)), null);

        Assert.Equal(second, afterSecond.JsapiTicket);
        Assert.Equal(first, afterSecond.PreviousJsapiTicket);
        Assert.Equal(first, afterTokenOnly.PreviousJsapiTicket);
    }

    [Fact]
    public async Task A_ticket_that_had_expired_when_replaced_is_not_kept()
    {
        var store = new CredentialStore(azurite.NewTable());
        await store.EnsureTableAsync(CancellationToken.None);
        await RefreshAsync(store, new IssuedCredential("token-1", T0, T0.AddHours(2)), new IssuedCredential("ticket-1", T0, T0.AddHours(2)));

        var after = await RefreshAsync(store, null, new IssuedCredential("ticket-2", T0.AddHours(3), T0.AddHours(5)));

        Assert.Null(after.PreviousJsapiTicket);
    }

    [Fact]
    public async Task A_new_agent_ticket_keeps_the_replaced_one_as_previous_independently_of_the_corp_ticket()
    {
        var store = new CredentialStore(azurite.NewTable());
        await store.EnsureTableAsync(CancellationToken.None);
        var corp = new IssuedCredential("corp-1", T0, T0.AddHours(2));
        var agent1 = new IssuedCredential("agent-1", T0, T0.AddHours(2));
        var agent2 = new IssuedCredential("agent-2", T0.AddMinutes(100), T0.AddMinutes(220));

        await RefreshAsync(store, new IssuedCredential("token-1", T0, T0.AddHours(2)), corp, agent1);
        var afterAgentOnly = await RefreshAsync(store, null, null, agent2);
        var afterCorpOnly = await RefreshAsync(store, null, new IssuedCredential("corp-2", T0.AddMinutes(110), T0.AddMinutes(230)));
        var afterExpired = await RefreshAsync(store, null, null, new IssuedCredential("agent-3", T0.AddMinutes(230), T0.AddMinutes(350)));

        Assert.Equal((agent2, agent1), (afterAgentOnly.AgentTicket, afterAgentOnly.PreviousAgentTicket));
        Assert.Null(afterAgentOnly.PreviousJsapiTicket); // the corp ticket was not replaced
        Assert.Equal((agent1, corp), (afterCorpOnly.PreviousAgentTicket, afterCorpOnly.PreviousJsapiTicket));
        Assert.Null(afterExpired.PreviousAgentTicket); // agent-2 had expired when agent-3 came
    }
}
