namespace WxShare.WeChatSandbox.Domain;

/// <summary>Holds the one active fault and counts down its remaining calls.</summary>
internal sealed class FaultSwitch
{
    private readonly Lock _gate = new();
    private SandboxFault? _fault;

    public SandboxFault? Current
    {
        get
        {
            lock (_gate)
                return _fault;
        }
    }

    public void Set(SandboxFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        fault.Validate();
        lock (_gate)
            _fault = fault.Kind == SandboxFaultKind.None ? null : fault;
    }

    public void Clear()
    {
        lock (_gate)
            _fault = null;
    }

    /// <summary>The fault to apply to this call, if any; uses up one of its remaining calls.</summary>
    public SandboxFault? TakeFor(SandboxEndpoint endpoint)
    {
        lock (_gate)
        {
            if (_fault is not { } fault || !fault.AppliesTo(endpoint))
                return null;

            if (fault.RemainingCalls is { } remaining)
                _fault = remaining > 1 ? fault with { RemainingCalls = remaining - 1 } : null;
            return fault;
        }
    }
}
