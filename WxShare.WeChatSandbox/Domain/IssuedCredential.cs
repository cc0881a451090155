namespace WxShare.WeChatSandbox.Domain;

internal enum CredentialStatus
{
    Valid,
    Expired,

    /// <summary>Replaced by a newer one (or force-refreshed away) before its own expiry.</summary>
    Revoked,
}

/// <summary>An access token or ticket the sandbox handed out. Not thread-safe: the owner locks.</summary>
internal sealed class IssuedCredential(string value, string appId, DateTimeOffset expiresAt)
{
    public string Value => value;

    public string AppId => appId;

    public DateTimeOffset ExpiresAt => expiresAt;

    public DateTimeOffset? RevokedAt { get; private set; }

    /// <summary>Stops the credential working from <paramref name="at"/> on; an earlier revocation stays in force.</summary>
    public void RevokeFrom(DateTimeOffset at)
    {
        if (RevokedAt is null || at < RevokedAt)
            RevokedAt = at;
    }

    public CredentialStatus StatusAt(DateTimeOffset now)
    {
        if (RevokedAt is { } revokedAt && revokedAt <= now && revokedAt < expiresAt)
            return CredentialStatus.Revoked;
        return now < expiresAt ? CredentialStatus.Valid : CredentialStatus.Expired;
    }

    public bool IsValidAt(DateTimeOffset now) => StatusAt(now) == CredentialStatus.Valid;

    public TimeSpan TimeLeftAt(DateTimeOffset now) => expiresAt - now;
}
