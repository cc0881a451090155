using Microsoft.Azure.Functions.Worker;
using WxShare.Configuration;
using WxShare.Refresh;

namespace WxShare.Functions;

public sealed class RefreshCredentialsFunction(CredentialRefresher refresher)
{
    // Ticks often and refreshes only when due (see RefreshPolicy): NCRONTAB cannot say "every 100 minutes".
    // RunOnStartup gives a fresh deployment its ticket at once; a tick that is not due costs one table read.
    [Function("RefreshCredentials")]
    public async Task Run(
        [TimerTrigger("%" + RefreshOptions.ScheduleSetting + "%", RunOnStartup = true)] TimerInfo timer, CancellationToken cancellationToken) =>
        await refresher.RefreshAllAsync(cancellationToken);
}
