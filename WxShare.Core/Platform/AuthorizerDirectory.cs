using WxShare.Accounts;

namespace WxShare.Platform;

/// <summary>
/// Which accounts each platform serves, read from storage (never from settings): the authorizers whose row is
/// <see cref="AuthorizerStatus.Authorized"/> with a refresh token. The refresh timer reads them on every tick, the
/// onboarding routes and the 61003 handling after a change, health and the authorizers route on each call; each reading
/// replaces the platform's authorizers in the <see cref="AccountRegistry"/>, where signing, health, relay and the engine
/// find them.
/// </summary>
public sealed class AuthorizerDirectory(PlatformRegistry platforms, PlatformStore store, AccountRegistry accounts)
{
    /// <summary>Reads every platform's authorizers (one table query per platform).</summary>
    /// <exception cref="Storage.StorageUnavailableException">Table Storage could not be read; the registry keeps what it had.</exception>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        foreach (var platform in platforms.All)
            await RefreshAsync(platform, cancellationToken);
    }

    /// <returns>Every authorizer row of the platform, whatever its status.</returns>
    public async Task<IReadOnlyList<AuthorizerRecord>> RefreshAsync(ThirdPartyPlatform platform, CancellationToken cancellationToken)
    {
        var rows = await store.ListAuthorizersAsync(platform.Name, cancellationToken);
        Apply(platform, rows);
        return rows;
    }

    /// <summary>Puts the served ones of the platform's authorizer rows, read elsewhere (the authorizers route, health), into the registry.</summary>
    public void Apply(ThirdPartyPlatform platform, IReadOnlyList<AuthorizerRecord> rows) =>
        accounts.SetAuthorizers(platform.Name, rows.Where(IsServed).OrderBy(r => r.AuthorizerAppId, StringComparer.Ordinal)
            .Select(r => platform.AuthorizerAccount(r.AuthorizerAppId)).ToArray());

    public static bool IsServed(AuthorizerRecord row) => row.Status == AuthorizerStatus.Authorized && row.RefreshToken is not null;
}
