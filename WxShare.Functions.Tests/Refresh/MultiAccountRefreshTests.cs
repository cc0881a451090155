using Microsoft.Extensions.Logging;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Refresh;
using WxShare.Storage;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Refresh;

/// <summary>Several accounts on one tick: each with its own row, lease, back-off and failure record.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class MultiAccountRefreshTests(AzuriteFixture azurite)
{
    private static Task<CredentialRecord> StoredAsync(WxShareTestContext context, string appId) =>
        context.Get<CredentialStore>().GetAsync(appId, CancellationToken.None);

    [Fact]
    public async Task An_account_with_a_wrong_secret_never_holds_back_the_other_over_three_simulated_days()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite, settings =>
        {
            TwoAccounts.Configure(settings);
            settings["Accounts:shop:AppSecret"] = "not0the0shop0secret0000000000000";
        }, TwoAccounts.Sandbox());
        var refresher = context.Get<CredentialRefresher>();
        var results = new List<IReadOnlyDictionary<string, RefreshResult>> { await refresher.RefreshAllAsync(CancellationToken.None) };
        var defaultAlwaysValid = true;

        var end = context.Time.GetUtcNow().AddDays(3);
        while (context.Time.GetUtcNow() < end)
        {
            context.Time.Advance(RefreshScenario.Tick);
            results.Add(await refresher.RefreshAllAsync(CancellationToken.None));
            var ticket = (await StoredAsync(context, SandboxDefaults.AppId)).JsapiTicket;
            defaultAlwaysValid &= ticket is not null && context.Sandbox.State.IsTicketValid(SandboxDefaults.AppId, ticket.Value);
        }

        Assert.True(defaultAlwaysValid);
        Assert.DoesNotContain(results, r => r["default"] is RefreshResult.Failed or RefreshResult.BackingOff);
        var healthy = await StoredAsync(context, SandboxDefaults.AppId);
        Assert.Null(healthy.LastFailure);
        Assert.Null(healthy.RetryNotBefore);

        var failing = await StoredAsync(context, TwoAccounts.ShopAppId);
        Assert.Null(failing.JsapiTicket);
        Assert.Equal(40125, failing.LastFailure?.ErrorCode);
        // Backed off 30 minutes after each failure: one attempt every six ticks (3 days: 144, and the first), never one per tick.
        var attempts = results.Count(r => r["shop"] == RefreshResult.Failed);
        Assert.InRange(attempts, 144, 146);
        Assert.Equal(results.Count - attempts, results.Count(r => r["shop"] == RefreshResult.BackingOff));
        Assert.All(context.Logs.GetSnapshot().Where(l => l.Level == LogLevel.Error), l => Assert.Contains("Accounts__shop__AppSecret", l.Message));
    }

    [Fact]
    public async Task A_lease_on_one_account_does_not_keep_another_off_WeChat()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite, TwoAccounts.Configure, TwoAccounts.Sandbox());
        var store = context.Get<CredentialStore>();
        await store.EnsureTableAsync(CancellationToken.None);
        await store.TryAcquireLeaseAsync(await StoredAsync(context, TwoAccounts.ShopAppId),
            new RefreshLease("other-instance", WxShareTestContext.Start.AddMinutes(2)), CancellationToken.None);

        var results = await context.Get<CredentialRefresher>().RefreshAllAsync(CancellationToken.None);

        Assert.Equal(RefreshResult.Refreshed, results["default"]);
        Assert.Equal(RefreshResult.LeasedByOther, results["shop"]);
        Assert.Null((await StoredAsync(context, TwoAccounts.ShopAppId)).JsapiTicket);
    }

    [Fact]
    public async Task A_WeChat_call_that_hangs_for_one_account_does_not_hold_back_the_other()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite, TwoAccounts.Configure, TwoAccounts.Sandbox());
        // The first WeChat call of the tick (one account's token call) answers only after 6 s of real time.
        context.Sandbox.State.SetFault(new SandboxFault(SandboxFaultKind.Delay, DelayMilliseconds: 6000, RemainingCalls: 1));

        var tick = context.Get<CredentialRefresher>().RefreshAllAsync(CancellationToken.None);
        CredentialRecord[] rows = [];
        while (!tick.IsCompleted && !rows.Any(r => r.JsapiTicket is not null))
        {
            await Task.Delay(50);
            rows = [await StoredAsync(context, SandboxDefaults.AppId), await StoredAsync(context, TwoAccounts.ShopAppId)];
        }

        // One account stored its ticket while the other's call was still hanging ...
        Assert.False(tick.IsCompleted);
        Assert.Single(rows, r => r.JsapiTicket is not null);
        // ... and the hung one completes normally afterwards.
        Assert.All((await tick).Values, r => Assert.Equal(RefreshResult.Refreshed, r));
    }

    [Fact]
    public async Task A_card_ticket_account_keeps_its_wx_card_ticket_fresh_beside_its_jsapi_ticket_and_others_keep_none()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite, TwoAccounts.Configure, TwoAccounts.Sandbox());
        var refresher = context.Get<CredentialRefresher>();
        await refresher.RefreshAllAsync(CancellationToken.None);
        var cardAlwaysValid = true;

        var end = context.Time.GetUtcNow().AddDays(1);
        while (context.Time.GetUtcNow() < end)
        {
            context.Time.Advance(RefreshScenario.Tick);
            await refresher.RefreshAllAsync(CancellationToken.None);
            var shop = await StoredAsync(context, TwoAccounts.ShopAppId);
            cardAlwaysValid &= shop.CardTicket is { } card && context.Sandbox.State.IsTicketValid(TwoAccounts.ShopAppId, card.Value, WeChatSandboxState.CardTicketType)
                               && shop.JsapiTicket is { } jsapi && context.Sandbox.State.IsTicketValid(TwoAccounts.ShopAppId, jsapi.Value);
        }

        Assert.True(cardAlwaysValid);
        var stored = await StoredAsync(context, TwoAccounts.ShopAppId);
        Assert.Equal(context.Sandbox.State.CurrentTicket(TwoAccounts.ShopAppId, WeChatSandboxState.CardTicketType), stored.CardTicket!.Value);
        Assert.NotEqual(stored.JsapiTicket!.Value, stored.CardTicket.Value);
        Assert.Null((await StoredAsync(context, SandboxDefaults.AppId)).CardTicket);
        // One day: about 15 jsapi tickets per account and 15 card tickets for shop.
        Assert.InRange(context.Sandbox.State.Calls.Ticket, 3 * 14, 3 * 16);
    }
}
