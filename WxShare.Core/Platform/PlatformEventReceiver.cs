using System.Globalization;
using Microsoft.Extensions.Logging;
using WxShare.Errors;
using WxShare.Http;
using WxShare.WeChat;

namespace WxShare.Platform;

/// <summary>
/// The domain side of <c>POST /api/platform/&lt;name&gt;/events</c> (授权事件接收URL): authenticates a push by its
/// msg_signature (constant time, before any decryption), refuses a timestamp more than 5 minutes off, decrypts, checks
/// the receiver, and applies the event to the platform's rows. A rejected push stores nothing and is logged once,
/// without any value that came in. A Table Storage outage surfaces as <see cref="Storage.StorageUnavailableException"/>
/// (answer 503: WeChat pushes again).
/// </summary>
public sealed partial class PlatformEventReceiver(
    PlatformRegistry platforms, PlatformStore store, ComponentApiClient api, ComponentTokenSource componentTokens, AuthorizerDirectory directory,
    TimeProvider time,
    ILogger<PlatformEventReceiver> logger)
{
    public const int MaxBodyBytes = 64 * 1024;
    public const string EncryptType = "aes";
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <param name="platformName">&lt;name&gt; of the route.</param>
    /// <param name="timestamp">The query's timestamp, nonce, encrypt_type and msg_signature, as sent.</param>
    /// <param name="body">The request body; at most <see cref="MaxBodyBytes"/> of it is read.</param>
    public async Task<PlatformEventOutcome> ReceiveAsync(string platformName, string? timestamp, string? nonce, string? encryptType,
        string? msgSignature, Stream body, CancellationToken cancellationToken)
    {
        if (platforms.Find(platformName) is not { } platform)
            return Reject(null, PlatformEventRejection.UnknownPlatform);
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(nonce) || string.IsNullOrEmpty(msgSignature) || encryptType != EncryptType
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return Reject(platform, PlatformEventRejection.BadQuery);
        if (await BoundedBody.ReadAsync(body, MaxBodyBytes, cancellationToken) is not { } bytes)
            return Reject(platform, PlatformEventRejection.BodyTooLarge);
        if (PlatformEventXml.ReadEncrypt(bytes) is not { } encrypt)
            return Reject(platform, PlatformEventRejection.MalformedXml);
        if (!platform.Crypto.IsSignatureValid(timestamp, nonce, encrypt, msgSignature))
            return Reject(platform, PlatformEventRejection.BadSignature);
        var now = time.GetUtcNow();
        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > MaxClockSkew.TotalSeconds)
            return Reject(platform, PlatformEventRejection.StaleTimestamp);
        if (platform.Crypto.TryDecrypt(encrypt, out var message) is { } failure)
            return Reject(platform, failure);
        if (PlatformEventXml.ReadEvent(message) is not { } pushed)
            return Reject(platform, PlatformEventRejection.MalformedXml);
        if (pushed.ComponentAppId != platform.ComponentAppId)
            return Reject(platform, PlatformEventRejection.WrongReceiver);

        var effect = pushed switch
        {
            ComponentVerifyTicketEvent ticket => await StoreTicketAsync(platform, ticket, now, cancellationToken),
            AuthorizedEvent authorized => await StoreAuthorizationAsync(platform, authorized, cancellationToken),
            UnauthorizedEvent unauthorized => await MarkUnauthorizedAsync(platform, unauthorized, cancellationToken),
            _ => PlatformEventEffect.Ignored,
        };
        LogApplied(logger, platform.Name, pushed.GetType().Name, (pushed as AuthorizedEvent)?.AuthorizerAppId ?? (pushed as UnauthorizedEvent)?.AuthorizerAppId,
            effect);
        return PlatformEventOutcome.Applied(pushed, effect);
    }

    private async Task<PlatformEventEffect> StoreTicketAsync(ThirdPartyPlatform platform, ComponentVerifyTicketEvent pushed, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var stored = false;
        await store.UpdateComponentAsync(platform.Name, current =>
        {
            stored = current.Ticket is not { } held || (held.CreatedAt <= pushed.CreatedAt && held.Value != pushed.Ticket);
            return stored ? current with { Ticket = new VerifyTicket(pushed.Ticket, pushed.CreatedAt, now) } : null;
        }, cancellationToken);
        if (!stored)
            return PlatformEventEffect.AlreadyApplied;
        // A platform that was waiting for a ticket gets its component token now, not a tick (or a push-wait) later; one
        // that holds a valid token reads only its row. A failure is the engine's to log and retry.
        try
        {
            await componentTokens.TryGetAsync(platform, cancellationToken);
        }
        catch (ApiCallException)
        {
        }
        return PlatformEventEffect.TicketStored;
    }

    /// <summary>Exchanges the code at once (it is single-use and short-lived); if that fails, keeps it for another try.</summary>
    private async Task<PlatformEventEffect> StoreAuthorizationAsync(ThirdPartyPlatform platform, AuthorizedEvent pushed, CancellationToken cancellationToken)
    {
        var current = await store.GetAuthorizerAsync(platform.Name, pushed.AuthorizerAppId, cancellationToken);
        if (IsApplied(current, pushed))
            return PlatformEventEffect.AlreadyApplied;

        AuthorizationGrant? grant = null;
        try
        {
            grant = await componentTokens.CallAsync(platform,
                token => api.QueryAuthAsync(token, platform.ComponentAppId, pushed.AuthorizationCode, cancellationToken), cancellationToken);
            if (grant is null)
                LogExchangeDeferred(logger, platform.Name, pushed.AuthorizerAppId, "no component_verify_ticket is stored yet");
        }
        catch (ApiCallException e)
        {
            LogExchangeDeferred(logger, platform.Name, pushed.AuthorizerAppId, e.Message);
        }

        var applied = false;
        await store.UpdateAuthorizerAsync(platform.Name, pushed.AuthorizerAppId, row =>
        {
            if (IsApplied(row, pushed))
                return null;
            applied = true;
            return grant is not null
                ? row.WithGrant(grant, pushed.CreatedAt, pushed.AuthorizationCode)
                : row with
                {
                    Status = AuthorizerStatus.PendingExchange,
                    AuthorizedAt = pushed.CreatedAt,
                    LastEventAt = pushed.CreatedAt,
                    PendingAuthorizationCode = pushed.AuthorizationCode,
                    PendingCodeExpiresAt = pushed.AuthorizationCodeExpiresAt,
                };
        }, cancellationToken);
        if (applied && grant is not null)
            await directory.RefreshAsync(platform, cancellationToken);
        return !applied ? PlatformEventEffect.AlreadyApplied
            : grant is not null ? PlatformEventEffect.AuthorizerStored
            : PlatformEventEffect.ExchangeDeferred;
    }

    private async Task<PlatformEventEffect> MarkUnauthorizedAsync(ThirdPartyPlatform platform, UnauthorizedEvent pushed, CancellationToken cancellationToken)
    {
        var applied = false;
        await store.UpdateAuthorizerAsync(platform.Name, pushed.AuthorizerAppId, row =>
        {
            if (IsApplied(row, pushed))
                return null;
            applied = true;
            // The refresh token stays: WeChat has ended it, and the record says what the account was.
            return row with { Status = AuthorizerStatus.Unauthorized, UnauthorizedAt = pushed.CreatedAt, LastEventAt = pushed.CreatedAt, AccessToken = null };
        }, cancellationToken);
        if (applied)
            await directory.WithdrawAsync(platform, pushed.AuthorizerAppId, cancellationToken);
        return applied ? PlatformEventEffect.AuthorizerUnauthorized : PlatformEventEffect.AlreadyApplied;
    }

    /// <summary>
    /// A push older than the last one applied to the row (overtaken), or of the same second and effect (WeChat's repeat),
    /// changes nothing. CreateTime has whole seconds: an unauthorized in the second of its authorized still applies.
    /// </summary>
    private static bool IsApplied(AuthorizerRecord row, PlatformEvent pushed) =>
        row.LastEventAt is { } last
        && (last > pushed.CreatedAt || (last == pushed.CreatedAt && (row.Status == AuthorizerStatus.Unauthorized) == pushed is UnauthorizedEvent));

    private PlatformEventOutcome Reject(ThirdPartyPlatform? platform, PlatformEventRejection rejection)
    {
        // The name of an unknown platform came from the URL: not logged.
        LogRejected(logger, platform?.Name ?? "(unknown)", rejection.Code());
        return PlatformEventOutcome.Rejected(rejection);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Platform {Platform}: push to the event URL rejected ({Reason}); nothing stored.")]
    private static partial void LogRejected(ILogger logger, string platform, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Platform {Platform}: {Event} for {AuthorizerAppId} applied: {Effect}.")]
    private static partial void LogApplied(ILogger logger, string platform, string @event, string? authorizerAppId, PlatformEventEffect effect);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Platform {Platform}: the authorization code of {AuthorizerAppId} is kept for another exchange: {Why}.")]
    private static partial void LogExchangeDeferred(ILogger logger, string platform, string authorizerAppId, string why);
}
