namespace WxShare.Functions.Tests.Browser;

/// <summary>
/// Awaits with a limit. Some Playwright calls take no timeout (Evaluate, a response's body, opening and closing a
/// context) and wait as long as the browser does; one that never ends would hang the whole test run. A bounded await
/// fails the one test instead, naming what it waited for.
/// </summary>
internal static class Bounded
{
    public static async Task<T> WithinAsync<T>(this Task<T> task, TimeSpan limit, string what)
    {
        await ((Task)task).WithinAsync(limit, what);
        return await task;
    }

    public static async Task WithinAsync(this Task task, TimeSpan limit, string what)
    {
        try
        {
            await task.WaitAsync(limit);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw new TimeoutException($"{what} did not finish within {limit.TotalSeconds:0} s.");
        }
    }
}
