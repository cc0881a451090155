namespace WxShare.Storage;

/// <summary>Marks a refresh in progress so that other instances leave WeChat alone; it lapses by itself, so a crash cannot wedge it.</summary>
public sealed record RefreshLease(string Owner, DateTimeOffset ExpiresAt)
{
    /// <summary>Whether the lease still holds: whoever owns it, this instance included, no other run may start.</summary>
    public bool IsLiveAt(DateTimeOffset now) => now < ExpiresAt;
}
