using Microsoft.AspNetCore.Http;
using WxShare.Accounts;
using WxShare.Errors;
using WxShare.Signing;
using WxShare.WeChat;

namespace WxShare.Cards;

/// <summary>What the two card routes share: the account (named by appId, or the only one) and its stored wx_card api_ticket. Never calls WeChat.</summary>
public sealed class CardTickets(AccountSelector accounts, SigningTicketCache tickets, TimeProvider time)
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(60);

    /// <summary>The account the request names and its valid card ticket, or why there is none.</summary>
    /// <param name="admit">What the route asks of the account before its ticket is read (card-ext: a public card or a key).</param>
    public async Task<(Account? Account, IssuedCredential? Ticket, Refusal? Refusal)> FindAsync(HttpRequest request, CancellationToken cancellationToken,
        Func<Account, Refusal?>? admit = null)
    {
        var selection = accounts.Select(request, AccountUse.Cards);
        if (selection.Rejection is { } notSelected)
            return (null, null, notSelected);
        var account = selection.Account!;
        if (!account.CardTicket)
            return (null, null, Refusal.NotFound("card_ticket_disabled", account.IsAuthorizer
                ? $"Platform {account.Platform} keeps no card api_tickets for its authorizers, so none for appId '{account.AppId}'. "
                  + $"Set {account.SettingName("Cards")}=true to sign cards for them."
                : $"The account with appId '{account.AppId}' keeps no card api_ticket. Set {account.SettingName("CardTicket")}=true to sign cards for it."));
        if (admit?.Invoke(account) is { } notAdmitted)
            return (null, null, notAdmitted);

        // A storage outage throws, and the edge answers it (JSON 503, Retry-After).
        var lookup = await tickets.GetAsync(account.StorageKey, cancellationToken);
        if (lookup.CardTicket is not { } ticket || !ticket.IsValidAt(time.GetUtcNow()))
            return (null, null, Refusal.Unavailable("ticket_unavailable",
                "No valid card api_ticket is stored yet."
                + (lookup.LastFailure is { } failure ? " " + ApiErrorAdvisor.PublicNote(account, failure) : "")
                + $" Retry after {RetryAfter.TotalSeconds} seconds.", RetryAfter));
        return (account, ticket, null);
    }
}
