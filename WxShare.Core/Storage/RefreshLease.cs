namespace WxShare.Storage;

/// <summary>Marks a refresh in progress so that other instances leave WeChat alone; it lapses by itself, so a crash cannot wedge it.</summary>
public sealed record RefreshLease(string Owner, DateTimeOffset ExpiresAt)
{
    public bool IsHeldByOtherAt(string owner, DateTimeOffset now) => Owner != owner && now < ExpiresAt;
}
