using WxShare.Accounts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using WxShare.Storage;

namespace WxShare.Operations;

/// <summary>
/// GET /api/wechat/token?appId=…[&amp;agentId=…], key-protected: the stored access_token for the company's other backends,
/// so that they read the one token instead of fetching their own and invalidating each other; a WeCom app's own token
/// when agentId names it. Reads the store on every call and never calls WeChat or WeCom; callers may keep the token in
/// memory for about a minute.
/// </summary>
public sealed partial class TokenRelayEndpoint(
    AccountSelector accounts,
    CredentialStore store,
    TimeProvider time,
    ILogger<TokenRelayEndpoint> logger)
{

    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!OperationsResults.TrySelectAccount(accounts, request, TokenRelay.Admit, out var account, out var refused))
            return refused;
        var response = request.HttpContext.Response;

        CredentialRecord record;
        try
        {
            record = await store.GetAsync(account.StorageKey, cancellationToken);
        }
        catch (StorageUnavailableException e)
        {
            LogStorageFailed(e, account.Display);
            throw; // the edge answers a JSON 503 (ApiErrors.StorageUnavailable)
        }

        if (record.AccessToken is not { } token || !token.IsValidAt(time.GetUtcNow()))
            return OperationsResults.Unavailable(response, "token_unavailable",
                $"No valid access_token is stored for '{account.Display}' yet: the refresh has not completed or is failing (see GET /api/health).",
                TimeSpan.FromSeconds(60));

        LogServed(account.Display, TokenRelay.Caller(request), token.ExpiresAt);
        return OperationsResults.Json(RelayedToken.Of(account, token), OperationsJsonContext.Answers.RelayedToken);
    }

    [LoggerMessage(LogLevel.Information, "Relayed the access_token of {Account} to key {KeyName}; it expires at {ExpiresAt}")]
    private partial void LogServed(string account, string keyName, DateTimeOffset expiresAt);

    [LoggerMessage(LogLevel.Error, "The token relay could not read the credentials of {Account}")]
    private partial void LogStorageFailed(Exception exception, string account);
}
