namespace WxShare.WeChatSandbox;

/// <summary>How many of WeChat's diagnostic calls the sandbox served (refused ones included); their rids are in <see cref="SandboxRidLog"/>. Thread-safe.</summary>
public sealed class SandboxDiagnostics
{
    private int _quotaGetCalls;
    private int _clearQuotaCalls;

    /// <summary>openapi/quota/get requests.</summary>
    public int QuotaGetCalls => Volatile.Read(ref _quotaGetCalls);

    /// <summary>clear_quota/v2 requests.</summary>
    public int ClearQuotaCalls => Volatile.Read(ref _clearQuotaCalls);

    internal void CountQuotaGet() => Interlocked.Increment(ref _quotaGetCalls);

    internal void CountClearQuota() => Interlocked.Increment(ref _clearQuotaCalls);
}
