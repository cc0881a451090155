namespace WxShare.Storage;

/// <summary>Counts the credential reads this process sent to Table Storage, so a load test can count them rather than guess.</summary>
public sealed class StorageReadCounter
{
    private long _reads;

    public long Reads => Interlocked.Read(ref _reads);

    internal void Increment() => Interlocked.Increment(ref _reads);
}
