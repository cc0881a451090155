namespace WxShare.WeChatSandbox;

/// <summary>
/// What WeChat keeps about one failed call under its rid, as <c>POST /cgi-bin/openapi/rid/get</c> returns it. The
/// bodies and URL are stored as received: they hold the AppSecret or token, as WeChat's own record does.
/// </summary>
/// <param name="AppId">The account the call was for (from its appid or its access_token), or null when unknown.</param>
/// <param name="InvokeTime">When the call arrived, on the sandbox's clock.</param>
/// <param name="ClientIp">The caller's address as WeChat reports it (IPv4 for an IPv4 caller).</param>
/// <param name="RequestUrl">Path and query, e.g. <c>/cgi-bin/token?grant_type=…</c>.</param>
public sealed record SandboxRidRecord(
    string Rid,
    string? AppId,
    DateTimeOffset InvokeTime,
    long CostInMs,
    string ClientIp,
    string RequestUrl,
    string RequestBody,
    string ResponseBody);

/// <summary>Every rid the sandbox has handed out (newest <see cref="Capacity"/>), for rid look-ups. Thread-safe.</summary>
public sealed class SandboxRidLog
{
    public const int Capacity = 10_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, SandboxRidRecord> _byRid = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    /// <summary>The record of this rid, or null when the sandbox never issued it (or has forgotten it).</summary>
    public SandboxRidRecord? Find(string rid)
    {
        lock (_gate)
            return _byRid.GetValueOrDefault(rid);
    }

    /// <summary>Every record kept, oldest first.</summary>
    public IReadOnlyList<SandboxRidRecord> All
    {
        get
        {
            lock (_gate)
                return [.. _order.Select(rid => _byRid[rid])];
        }
    }

    internal void Add(SandboxRidRecord record)
    {
        lock (_gate)
        {
            if (!_byRid.TryAdd(record.Rid, record))
                return;
            _order.Enqueue(record.Rid);
            if (_order.Count > Capacity)
                _byRid.Remove(_order.Dequeue());
        }
    }
}
