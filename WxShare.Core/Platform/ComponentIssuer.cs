using WxShare.Errors;
using WxShare.Accounts;
using WxShare.Refresh;
using WxShare.Storage;
using WxShare.WeChat;

namespace WxShare.Platform;

/// <summary>
/// A platform's own credential for the refresh engine: the component_access_token (api_component_token, from the last
/// pushed verify ticket), no tickets. Without a usable ticket, or when WeChat calls it expired or unknown (61005/61006),
/// it asks WeChat to push one (api_start_push_ticket) and holds the refresh back for a push interval: the ticket
/// cannot be fetched, only waited for. The event receiver fetches the token as soon as a push arrives
/// (<see cref="ComponentTokenSource"/>), so the wait never outlasts the push.
/// </summary>
public sealed class ComponentIssuer(PlatformRegistry platforms, PlatformStore store, ComponentApiClient api, TimeProvider time) : ICredentialIssuer
{
    /// <summary>WeChat pushes a verify ticket every 10 minutes.</summary>
    public static readonly TimeSpan PushInterval = TimeSpan.FromMinutes(10);

    public bool Issues(Account account) => account.Kind == AccountKind.Component;

    public IReadOnlyList<ApiCall> Tickets(Account account) => [];

    public bool TokenIsStable(Account account) => false;

    public async Task<IssuedCredential> GetAccessTokenAsync(Account account, CredentialRecord stored, bool force, CancellationToken cancellationToken)
    {
        var platform = platforms.Of(account);
        var now = time.GetUtcNow();
        var component = await store.GetComponentAsync(platform.Name, cancellationToken);
        if (component.Ticket is not { } ticket || ticket.AgeAt(now) >= VerifyTicket.Lifetime)
            throw await WaitForPushAsync(platform, now,
                component.Ticket is null ? "no component_verify_ticket has been pushed yet" : "the last component_verify_ticket is older than 12 hours", cancellationToken);
        try
        {
            return await api.GetComponentTokenAsync(platform.ComponentAppId, platform.ComponentAppSecret, ticket.Value, cancellationToken);
        }
        catch (ApiCallException e) when (PlatformErrorClassifier.Action(e.ErrorCode) == PlatformErrorAction.WaitForTicketPush)
        {
            throw await WaitForPushAsync(platform, now, $"errcode {e.ErrorCode}: WeChat calls the stored component_verify_ticket expired or unknown", cancellationToken);
        }
    }

    public Task<IssuedCredential> GetTicketAsync(Account account, ApiCall ticket, string accessToken, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("A component account keeps no tickets.");

    public Task ReserveTicketCallsAsync(Account account, IReadOnlyCollection<ApiCall> tickets, CancellationToken cancellationToken) => Task.CompletedTask;

    // No call checks a component token; and it is never relayed.
    public Task<bool?> AcceptsAccessTokenAsync(Account account, string accessToken, CancellationToken cancellationToken) => Task.FromResult<bool?>(null);

    public ApiErrorKind Classify(ApiCall call, int? errorCode) => PlatformErrorClassifier.Classify(call, errorCode);

    private async Task<RefreshHeldBackException> WaitForPushAsync(ThirdPartyPlatform platform, DateTimeOffset now, string why, CancellationToken cancellationToken)
    {
        string asked;
        try
        {
            await api.StartPushTicketAsync(platform.ComponentAppId, platform.ComponentAppSecret, cancellationToken);
            asked = "asked WeChat to push one (api_start_push_ticket)";
        }
        catch (ApiCallException e)
        {
            asked = $"api_start_push_ticket failed ({e.Message})";
        }
        return new RefreshHeldBackException(ApiCall.ComponentToken, now + PushInterval,
            $"{why}; {asked}; waiting for the push to {platform.EventPath} (check the 授权事件接收URL in the Open Platform console).");
    }
}
