using Microsoft.Azure.Functions.Worker;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Functions.Tests.Refresh;
using WxShare.Refresh;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Functions;

[Collection(AzuriteCollection.Name)]
public sealed class RefreshCredentialsFunctionTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Each_timer_tick_refreshes_only_when_due()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite);
        var function = new RefreshCredentialsFunction(context.Get<CredentialRefresher>());

        await function.Run(new TimerInfo(), CancellationToken.None);
        context.Time.Advance(TimeSpan.FromMinutes(5));
        await function.Run(new TimerInfo(), CancellationToken.None);

        Assert.Equal(new SandboxCallCounts(Token: 0, StableToken: 1, Ticket: 1), context.Sandbox.State.Calls);
        Assert.Equal(context.Sandbox.State.CurrentTicket(SandboxDefaults.AppId), (await context.StoredAsync()).JsapiTicket?.Value);
    }
}
