using WxShare.WeChatSandbox.Domain;

namespace WxShare.WeChatSandbox;

/// <summary>One call as WeChat's openapi/rid/get reports it. The URL and bodies are as sent: they hold secrets.</summary>
public sealed record SandboxRidRecord(
    string Rid, string? AppId, string Path, DateTimeOffset InvokedAt, long CostInMs, string ClientIp, string RequestUrl, string RequestBody, string ResponseBody);

/// <summary>
/// What the sandbox keeps for WeChat's own diagnostics: every call by its rid (WeChat keeps them 7 days; the rid is in
/// an error's errmsg), and how many clear_quota calls it served. Thread-safe.
/// </summary>
public sealed class SandboxDiagnostics(TimeProvider time)
{
    public static readonly TimeSpan RidLifetime = TimeSpan.FromDays(7);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, SandboxRidRecord> _byRid = new(StringComparer.Ordinal);
    private readonly List<SandboxRidRecord> _inOrder = [];
    private int _clearQuotaCalls;

    /// <summary>Every call recorded so far, oldest first.</summary>
    public IReadOnlyList<SandboxRidRecord> Calls
    {
        get { lock (_gate) return _inOrder.ToArray(); }
    }

    /// <summary>clear_quota/v2 requests served, refused ones included.</summary>
    public int ClearQuotaCalls
    {
        get { lock (_gate) return _clearQuotaCalls; }
    }

    internal DateTimeOffset Now => time.GetUtcNow();

    internal void Record(SandboxRidRecord call)
    {
        lock (_gate)
        {
            // What WeChat no longer keeps goes: a sandbox left running for weeks stays small.
            var expired = _inOrder.TakeWhile(c => call.InvokedAt - c.InvokedAt >= RidLifetime).Count();
            foreach (var old in _inOrder.Take(expired))
                _byRid.Remove(old.Rid);
            _inOrder.RemoveRange(0, expired);
            _byRid[call.Rid] = call;
            _inOrder.Add(call);
        }
    }

    /// <summary>The call under this rid, while WeChat would still keep it.</summary>
    internal SandboxRidRecord? Find(string rid)
    {
        lock (_gate)
            return _byRid.TryGetValue(rid, out var call) && Now - call.InvokedAt < RidLifetime ? call : null;
    }

    internal void CountClearQuota()
    {
        lock (_gate)
            _clearQuotaCalls++;
    }
}
