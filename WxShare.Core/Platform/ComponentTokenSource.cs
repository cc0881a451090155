using WxShare.Errors;

namespace WxShare.Platform;

/// <summary>
/// The component token for a call that cannot wait for the refresh (api_query_auth on an authorized event): the
/// stored one while it has a minute left, else one fetched from the stored verify ticket and stored, ETag-conditional.
/// The refresh engine keeps the stored one fresh, so this rarely calls WeChat.
/// </summary>
public sealed class ComponentTokenSource(PlatformStore store, ComponentApiClient api, TimeProvider time)
{
    private static readonly TimeSpan MinimumLife = TimeSpan.FromMinutes(1);

    /// <returns>The token, or null when no verify ticket has been pushed yet (or the one stored is past its 12 hours).</returns>
    /// <exception cref="Errors.ApiCallException">api_component_token failed (61005/61006: see <see cref="PlatformErrorClassifier"/>).</exception>
    public async Task<string?> TryGetAsync(ThirdPartyPlatform platform, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var component = await store.GetComponentAsync(platform.Name, cancellationToken);
        if (component.ComponentToken is { } stored && stored.ExpiresAt - now >= MinimumLife)
            return stored.Value;
        if (component.Ticket is not { } ticket || ticket.AgeAt(now) >= VerifyTicket.Lifetime)
            return null;

        var token = await api.GetComponentTokenAsync(platform.ComponentAppId, platform.ComponentAppSecret, ticket.Value, cancellationToken);
        // Lost the race? Ours is still the newest token, so use it; the next refresh stores its own.
        await store.TryWriteComponentAsync(component, component with { ComponentToken = token }, cancellationToken);
        return token.Value;
    }
}
