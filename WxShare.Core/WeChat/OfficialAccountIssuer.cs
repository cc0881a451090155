using WxShare.Accounts;
using WxShare.Errors;
using WxShare.Refresh;
using WxShare.Storage;

namespace WxShare.WeChat;

/// <summary>
/// An official account (公众号): access_token by the classic or the stable call (<see cref="Account.TokenApi"/>), the
/// jsapi_ticket, and the wx_card ticket where <see cref="Account.CardTicket"/> is set.
/// </summary>
public sealed class OfficialAccountIssuer(WeChatApiClient weChat) : ICredentialIssuer
{
    private static readonly ApiCall[] JsapiTicketOnly = [ApiCall.JsapiTicket];
    private static readonly ApiCall[] WithCardTicket = [ApiCall.JsapiTicket, ApiCall.CardTicket];

    public bool Issues(Account account) => account.Kind == AccountKind.Mp;

    public IReadOnlyList<ApiCall> Tickets(Account account) => account.CardTicket ? WithCardTicket : JsapiTicketOnly;

    public bool TokenIsStable(Account account) => account.UsesStableToken;

    public Task<IssuedCredential> GetAccessTokenAsync(Account account, CredentialRecord stored, bool force, CancellationToken cancellationToken) =>
        weChat.GetAccessTokenAsync(account, force, cancellationToken);

    public Task<IssuedCredential> GetTicketAsync(Account account, ApiCall ticket, string accessToken, CancellationToken cancellationToken) =>
        ticket == ApiCall.CardTicket
            ? weChat.GetCardTicketAsync(accessToken, cancellationToken)
            : weChat.GetJsapiTicketAsync(accessToken, cancellationToken);

    public async Task<bool?> AcceptsAccessTokenAsync(Account account, string accessToken, CancellationToken cancellationToken) =>
        await weChat.AcceptsAccessTokenAsync(accessToken, cancellationToken);

    // WeChat publishes no limit of its own beyond the daily quota, which its errcode 45009 reports.
    public Task ReserveTicketCallsAsync(Account account, IReadOnlyCollection<ApiCall> tickets, CancellationToken cancellationToken) => Task.CompletedTask;

    public ApiErrorKind Classify(ApiCall call, int? errorCode) => WeChatErrorClassifier.Classify(call, errorCode);
}
