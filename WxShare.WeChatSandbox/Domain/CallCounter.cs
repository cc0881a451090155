namespace WxShare.WeChatSandbox.Domain;

internal sealed class CallCounter
{
    private readonly Lock _gate = new();
    private SandboxCallCounts _counts = new(0, 0, 0);
    // Apart from the credential calls: a token check issues nothing, and the counts' equality stays what tests compare.
    private int _callbackIp;

    public int CallbackIpCalls
    {
        get
        {
            lock (_gate)
                return _callbackIp;
        }
    }

    public SandboxCallCounts Snapshot()
    {
        lock (_gate)
            return _counts;
    }

    public void Count(SandboxEndpoint endpoint)
    {
        lock (_gate)
        {
            if (endpoint == SandboxEndpoint.CallbackIp)
            {
                _callbackIp++;
                return;
            }
            _counts = endpoint switch
            {
                SandboxEndpoint.Token => _counts with { Token = _counts.Token + 1 },
                SandboxEndpoint.StableToken => _counts with { StableToken = _counts.StableToken + 1 },
                SandboxEndpoint.Ticket => _counts with { Ticket = _counts.Ticket + 1 },
                _ => throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint, "Only a concrete endpoint is counted."),
            };
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _counts = new(0, 0, 0);
            _callbackIp = 0;
        }
    }
}
