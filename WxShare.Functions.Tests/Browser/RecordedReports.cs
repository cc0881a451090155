using Microsoft.Playwright;

namespace WxShare.Functions.Tests.Browser;

/// <summary>What a page posts to WxShare's report route, caught in the browser and answered 204.</summary>
internal sealed class RecordedReports
{
    private readonly List<string> _bodies = [];

    public Task RouteAsync(IPage page) => page.RouteAsync("**/api/jssdk/report", async route =>
    {
        lock (_bodies)
            _bodies.Add(route.Request.PostData ?? "");
        await route.FulfillAsync(new RouteFulfillOptions { Status = 204 });
    });

    /// <summary>
    /// The bodies posted, once the first has arrived and a little longer: the POST leaves before the helper's promise
    /// rejects, and its route handler runs on Playwright's connection.
    /// </summary>
    public async Task<IReadOnlyList<string>> SettledAsync()
    {
        for (var waited = 0; waited < 50 && Count == 0; waited++)
            await Task.Delay(100);
        await Task.Delay(300);
        lock (_bodies)
            return _bodies.ToList();
    }

    private int Count
    {
        get
        {
            lock (_bodies)
                return _bodies.Count;
        }
    }
}
