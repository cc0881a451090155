namespace WxShare.WeChatSandbox.Domain;

/// <summary>A per-day call allowance that resets at Beijing midnight. Not thread-safe: the owner locks.</summary>
internal sealed class DailyQuota(int limit)
{
    private DateOnly _day;
    private int _used;

    public bool IsExhausted(DateTimeOffset now)
    {
        RollOver(now);
        return _used >= limit;
    }

    public void Consume(DateTimeOffset now)
    {
        RollOver(now);
        _used++;
    }

    public int Limit => limit;

    /// <summary>Calls counted today (Beijing time), as quota/get reports them.</summary>
    public int UsedOn(DateTimeOffset now)
    {
        RollOver(now);
        return _used;
    }

    /// <summary>clear_quota: today's count starts again from zero.</summary>
    public void Clear() => _used = 0;

    private void RollOver(DateTimeOffset now)
    {
        var day = BeijingQuotaDay.Of(now);
        if (day != _day)
        {
            _day = day;
            _used = 0;
        }
    }
}
