using WxShare.Accounts;
using WxShare.Refresh;
using WxShare.Storage;

namespace WxShare.WeChat;

/// <summary>
/// An official account (公众号): access_token by the classic or the stable call (<see cref="Account.TokenApi"/>), the
/// jsapi_ticket, and the wx_card ticket where <see cref="Account.CardTicket"/> is set.
/// </summary>
public sealed class OfficialAccountIssuer(WeChatApiClient weChat) : ICredentialIssuer
{
    private static readonly WeChatCall[] JsapiTicketOnly = [WeChatCall.JsapiTicket];
    private static readonly WeChatCall[] WithCardTicket = [WeChatCall.JsapiTicket, WeChatCall.CardTicket];

    public bool Issues(Account account) => account.Kind == AccountKind.Mp;

    public IReadOnlyList<WeChatCall> Tickets(Account account) => account.CardTicket ? WithCardTicket : JsapiTicketOnly;

    public bool TokenIsStable(Account account) => account.UsesStableToken;

    public Task<IssuedCredential> GetAccessTokenAsync(Account account, CredentialRecord stored, bool force, CancellationToken cancellationToken) =>
        weChat.GetAccessTokenAsync(account, force, cancellationToken);

    public Task<IssuedCredential> GetTicketAsync(Account account, WeChatCall ticket, string accessToken, CancellationToken cancellationToken) =>
        ticket == WeChatCall.CardTicket
            ? weChat.GetCardTicketAsync(accessToken, cancellationToken)
            : weChat.GetJsapiTicketAsync(accessToken, cancellationToken);

    public async Task<bool?> AcceptsAccessTokenAsync(Account account, string accessToken, CancellationToken cancellationToken) =>
        await weChat.AcceptsAccessTokenAsync(accessToken, cancellationToken);

    // WeChat publishes no limit of its own beyond the daily quota, which its errcode 45009 reports.
    public Task ReserveTicketCallsAsync(Account account, IReadOnlyCollection<WeChatCall> tickets, CancellationToken cancellationToken) => Task.CompletedTask;

    public WeChatErrorKind Classify(WeChatCall call, int? errorCode) => WeChatErrorClassifier.Classify(call, errorCode);

    public string? Advice(int? errorCode, Account account) => WeChatErrorClassifier.Advice(errorCode, account);
}
