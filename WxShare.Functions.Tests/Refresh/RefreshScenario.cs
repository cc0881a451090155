using WxShare.Configuration;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Refresh;
using WxShare.Storage;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Refresh;

/// <summary>Drives the refresh the way the timer does: a tick every five minutes on the fake clock.</summary>
internal static class RefreshScenario
{
    public static readonly TimeSpan Tick = TimeSpan.FromMinutes(5);

    /// <summary>One tick of every account; the result of the single account (the one tests without Accounts__* have).</summary>
    public static async Task<RefreshResult> TickAsync(this WxShareTestContext context)
    {
        var results = await context.Get<CredentialRefresher>().RefreshAllAsync(CancellationToken.None);
        return results.Count == 1 ? results.Values.Single() : results[AccountsOptions.SingleAccountName];
    }

    public static async Task<List<RefreshResult>> RunTicksAsync(this WxShareTestContext context, TimeSpan duration, Func<Task>? afterEachTick = null)
    {
        var results = new List<RefreshResult>();
        var end = context.Time.GetUtcNow() + duration;
        while (context.Time.GetUtcNow() < end)
        {
            context.Time.Advance(Tick);
            results.Add(await context.TickAsync());
            if (afterEachTick is not null)
                await afterEachTick();
        }
        return results;
    }

    public static Task<CredentialRecord> StoredAsync(this WxShareTestContext context) =>
        context.Get<CredentialStore>().GetAsync(SandboxDefaults.AppId, CancellationToken.None);
}
