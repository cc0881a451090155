using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using WxShare.Storage;

namespace WxShare.Operations;

/// <summary>
/// GET /api/wechat/token?appId=…, key-protected: the stored access_token for the company's other backends, so that
/// they read the one token instead of fetching their own and invalidating each other. Reads the store on every call
/// and never calls WeChat; callers may keep the token in memory for about a minute.
/// </summary>
public sealed partial class TokenRelayEndpoint(
    TokenRelay relay,
    CredentialStore store,
    TimeProvider time,
    ILogger<TokenRelayEndpoint> logger)
{
    public const string Route = "wechat/token";

    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var response = request.HttpContext.Response;
        var selection = relay.RelayedAccount(request);
        if (selection.Rejection is { } rejection)
            return OperationsResults.Error(response, rejection);
        var account = selection.Account!;

        CredentialRecord record;
        try
        {
            record = await store.GetAsync(account.StorageKey, cancellationToken);
        }
        catch (StorageUnavailableException e)
        {
            LogStorageFailed(e, account.AppId);
            return OperationsResults.StorageUnavailable(response);
        }

        if (record.AccessToken is not { } token || !token.IsValidAt(time.GetUtcNow()))
            return OperationsResults.Unavailable(response, "token_unavailable",
                $"No valid access_token is stored for '{account.AppId}' yet: the refresh has not completed or is failing (see GET /api/health).",
                TimeSpan.FromSeconds(60));

        LogServed(account.AppId, TokenRelay.Caller(request), token.ExpiresAt);
        return OperationsResults.Json(response, new RelayedToken(account.AppId, token.Value, token.ExpiresAt), OperationsJsonContext.Default.RelayedToken);
    }

    [LoggerMessage(LogLevel.Information, "Relayed the access_token of {AppId} to key {KeyName}; it expires at {ExpiresAt}")]
    private partial void LogServed(string appId, string keyName, DateTimeOffset expiresAt);

    [LoggerMessage(LogLevel.Error, "The token relay could not read the credentials of {AppId}")]
    private partial void LogStorageFailed(Exception exception, string appId);
}
