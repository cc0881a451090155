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
