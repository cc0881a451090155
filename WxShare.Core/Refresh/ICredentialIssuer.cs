using WxShare.Accounts;
using WxShare.Errors;
using WxShare.Storage;
using WxShare.WeChat;

namespace WxShare.Refresh;

/// <summary>
/// A kind of account, as the refresh engine (<see cref="CredentialRefresher"/>) sees it: what the account's row keeps
/// and how each credential is issued. Everything else (reading the row, the plan, the lease, the rejected-token retry,
/// back-off, storing, logging) is the engine's and is the same for every kind. See docs/refresh-engine.md.
/// </summary>
public interface ICredentialIssuer
{
    /// <summary>Whether this issuer issues the account's credentials; exactly one issuer does for each account.</summary>
    bool Issues(Account account);

    /// <summary>The tickets the account's row keeps, in the order a refresh fetches them.</summary>
    IReadOnlyList<ApiCall> Tickets(Account account);

    /// <summary>
    /// Whether the token call returns the same token until its last 300 s (the official stable_token): such a token is
    /// due only then, and replacing a rejected one needs a forced call, which the issuer rations.
    /// </summary>
    bool TokenIsStable(Account account);

    /// <summary>A new access token; <paramref name="force"/> only on an operator's (or a relay caller's) rationed request.</summary>
    /// <param name="stored">The leased row, for an issuer whose token call needs what the row keeps.</param>
    Task<IssuedCredential> GetAccessTokenAsync(Account account, CredentialRecord stored, bool force, CancellationToken cancellationToken);

    Task<IssuedCredential> GetTicketAsync(Account account, ApiCall ticket, string accessToken, CancellationToken cancellationToken);

    /// <summary>
    /// Asks the issuer whether it still accepts <paramref name="accessToken"/>: a relay caller's word that it was rejected
    /// never replaces a token on its own. Null when the issuer has no call to ask with (the caller's word is then all there is).
    /// </summary>
    Task<bool?> AcceptsAccessTokenAsync(Account account, string accessToken, CancellationToken cancellationToken);

    /// <summary>Reserves the ticket calls about to be made against limits of the issuer's own.</summary>
    /// <exception cref="RefreshHeldBackException">The calls would exceed them: none is made, the refresh waits.</exception>
    Task ReserveTicketCallsAsync(Account account, IReadOnlyCollection<ApiCall> tickets, CancellationToken cancellationToken);

    /// <summary>
    /// How an errcode of this issuer is handled (the failure log's severity); the exception carries it for live calls.
    /// What a person should do about it is worded in one place for every issuer: <see cref="ApiErrorAdvice"/>.
    /// </summary>
    ApiErrorKind Classify(ApiCall call, int? errorCode);
}

/// <summary>The registered issuers: one for each kind of account.</summary>
public sealed class CredentialIssuers(IEnumerable<ICredentialIssuer> issuers)
{
    private readonly ICredentialIssuer[] _issuers = [.. issuers];

    public ICredentialIssuer For(Account account) =>
        _issuers.SingleOrDefault(i => i.Issues(account))
        ?? throw new InvalidOperationException($"No credential issuer is registered for {account}.");
}

/// <summary>An issuer held back a call to stay within limits of its own: nothing was called; the refresh waits until <see cref="AllowedFrom"/>.</summary>
/// <param name="message">Says which limit, for the log and the row's failure record; never holds a secret.</param>
public class RefreshHeldBackException(ApiCall call, DateTimeOffset allowedFrom, string message) : Exception(message)
{
    public ApiCall Call { get; } = call;
    public DateTimeOffset AllowedFrom { get; } = allowedFrom;
}
