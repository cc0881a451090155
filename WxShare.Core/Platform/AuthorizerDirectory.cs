using WxShare.Accounts;
using WxShare.Storage;

namespace WxShare.Platform;

/// <summary>
/// Which accounts each platform serves, read from storage (never from settings): the authorizers whose row is
/// <see cref="AuthorizerStatus.Authorized"/> with a refresh token. The refresh timer reads them on every tick, the
/// onboarding routes and the 61003 handling after a change, health and the authorizers route on each call; each reading
/// replaces the platform's authorizers in the <see cref="AccountRegistry"/>, where signing, health, relay and the engine
/// find them.
/// </summary>
public sealed class AuthorizerDirectory(PlatformRegistry platforms, PlatformStore store, AccountRegistry accounts, CredentialStore credentials)
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

    /// <summary>
    /// Puts the served ones of the platform's authorizer rows, read here or elsewhere (the authorizers route, health),
    /// into the registry, and the withdrawn ones into its list of accounts every route refuses as account_unauthorized.
    /// </summary>
    public void Apply(ThirdPartyPlatform platform, IReadOnlyList<AuthorizerRecord> rows) =>
        accounts.SetAuthorizers(platform.Name,
            rows.Where(IsServed).OrderBy(r => r.AuthorizerAppId, StringComparer.Ordinal).Select(r => platform.AuthorizerAccount(r.AuthorizerAppId)).ToArray(),
            rows.Where(r => r.Status == AuthorizerStatus.Unauthorized).OrderBy(r => r.AuthorizerAppId, StringComparer.Ordinal)
                .Select(r => new WithdrawnAuthorizer(platform.Name, r.AuthorizerAppId, r.UnauthorizedAt)).ToArray());

    /// <summary>
    /// After the account's row was marked unauthorized: its token and tickets are dropped from the credential table (so
    /// no instance serves them, whatever its registry holds until its next tick) and it leaves this registry, where every
    /// route now refuses it as account_unauthorized.
    /// </summary>
    public async Task WithdrawAsync(ThirdPartyPlatform platform, string authorizerAppId, CancellationToken cancellationToken)
    {
        await credentials.ForgetCredentialsAsync(platform.AuthorizerAccount(authorizerAppId).StorageKey, cancellationToken);
        await RefreshAsync(platform, cancellationToken);
    }

    public static bool IsServed(AuthorizerRecord row) => row.Status == AuthorizerStatus.Authorized && row.RefreshToken is not null;
}
