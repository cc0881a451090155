namespace WxShare.WeChat;

/// <summary>An access_token or jsapi_ticket as WeChat issued it.</summary>
public sealed record IssuedCredential(string Value, DateTimeOffset FetchedAt, DateTimeOffset ExpiresAt)
{
    public bool IsValidAt(DateTimeOffset now) => now < ExpiresAt;

    // Credentials are secrets: keep them out of logs that print records.
    public override string ToString() => $"IssuedCredential {{ FetchedAt = {FetchedAt:O}, ExpiresAt = {ExpiresAt:O} }}";
}
