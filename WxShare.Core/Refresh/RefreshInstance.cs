namespace WxShare.Refresh;

/// <summary>Names this process as a lease owner, so that instances sharing one table can tell their leases apart.</summary>
public sealed record RefreshInstance(string Id)
{
    public static RefreshInstance ForThisProcess() =>
        new($"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}");
}
