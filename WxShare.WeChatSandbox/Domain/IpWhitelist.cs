namespace WxShare.WeChatSandbox.Domain;

/// <summary>The accounts' IP whitelist (公众号 IP白名单): off, or the only caller addresses a token call is served from.</summary>
internal sealed class IpWhitelist
{
    private readonly Lock _gate = new();
    private HashSet<string>? _allowed;

    /// <summary>The allowed addresses, or null while the whitelist is off.</summary>
    public IReadOnlyCollection<string>? Allowed
    {
        get
        {
            lock (_gate)
                return _allowed is null ? null : [.. _allowed];
        }
    }

    /// <summary>Turns the whitelist on with these addresses (none: every caller is refused), or off with null.</summary>
    public void Set(IEnumerable<string>? allowed)
    {
        lock (_gate)
            _allowed = allowed is null ? null : new HashSet<string>(allowed, StringComparer.OrdinalIgnoreCase);
    }

    public bool Refuses(string callerIp)
    {
        lock (_gate)
            return _allowed is not null && !_allowed.Contains(callerIp);
    }
}
