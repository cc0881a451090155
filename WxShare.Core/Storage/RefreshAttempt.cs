namespace WxShare.Storage;

/// <summary>What a refresh spends of a shared limit, recorded with its lease (see <see cref="CredentialStore.TryAcquireLeaseAsync"/>).</summary>
/// <param name="ForcedToken">A forced token refresh: counts against WeChat's 20 a day, 30 s apart (instants older than a day are dropped).</param>
/// <param name="RelayCaller">A refresh on a relay caller's behalf: <see cref="CredentialRecord.RelayRefreshAt"/>, the per-account minute;
/// forced as well, it also counts against the relay's share of the forced refreshes (<see cref="CredentialRecord.RelayForcedRefreshes"/>).</param>
/// <param name="RefreshNow">An operator's refresh-now: <see cref="CredentialRecord.RefreshNowAttempts"/>, its cooldown.</param>
public sealed record RefreshAttempt(DateTimeOffset At, bool ForcedToken, bool RelayCaller, bool RefreshNow = false);
