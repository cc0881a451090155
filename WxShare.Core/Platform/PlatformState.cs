using WxShare.Storage;
using WxShare.WeChat;

namespace WxShare.Platform;

/// <summary>
/// What storage says of one platform at a moment: its verify ticket (the platform row), its component token and last
/// refresh failure (the engine's row of <see cref="ThirdPartyPlatform.ComponentAccount"/>) and every authorizer row.
/// The one place the facts the authorizers route and health report are computed from; it holds credentials, so only
/// their times leave it.
/// </summary>
public sealed record PlatformState(ThirdPartyPlatform Platform, ComponentRecord Component, CredentialRecord ComponentCredentials,
    IReadOnlyList<AuthorizerRecord> Authorizers)
{
    /// <summary>
    /// One query of the platform's authorizer rows and two point reads (the platform row, the component token's row),
    /// concurrently, through the stores given (health passes the bounded cold-read ones).
    /// </summary>
    /// <exception cref="StorageUnavailableException">Table Storage could not be read.</exception>
    public static async Task<PlatformState> ReadAsync(ThirdPartyPlatform platform, PlatformStore platformStore, CredentialStore store,
        CancellationToken cancellationToken)
    {
        var authorizers = platformStore.ListAuthorizersAsync(platform.Name, cancellationToken);
        var component = platformStore.GetComponentAsync(platform.Name, cancellationToken);
        var credentials = store.GetAsync(platform.ComponentAccount.StorageKey, cancellationToken);
        await Task.WhenAll(authorizers, component, credentials);
        return new PlatformState(platform, await component, await credentials, await authorizers);
    }

    /// <summary>The last verify ticket pushed; null until WeChat's first push.</summary>
    public VerifyTicket? LastVerifyTicket => Component.Ticket;

    /// <summary>Since WeChat issued the last verify ticket (its CreateTime); WeChat honours it <see cref="VerifyTicket.Lifetime"/>.</summary>
    public TimeSpan? VerifyTicketAgeAt(DateTimeOffset now) => LastVerifyTicket?.AgeAt(now);

    /// <summary>Whether api_component_token can be called with the stored ticket (else 61005, or none to call it with).</summary>
    public bool VerifyTicketUsableAt(DateTimeOffset now) => VerifyTicketAgeAt(now) < VerifyTicket.Lifetime;

    /// <summary>The component token the engine stored, expired or not.</summary>
    public IssuedCredential? ComponentToken => ComponentCredentials.AccessToken;

    /// <summary>The last failure of the component token's refresh (cleared by a success).</summary>
    public RefreshFailure? ComponentFailure => ComponentCredentials.LastFailure;

    public int CountOf(AuthorizerStatus status) => Authorizers.Count(a => a.Status == status);

    /// <summary>The authorizers the platform serves (<see cref="AuthorizerDirectory.IsServed"/>).</summary>
    public int ServedCount => Authorizers.Count(AuthorizerDirectory.IsServed);
}
