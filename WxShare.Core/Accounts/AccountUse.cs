namespace WxShare.Accounts;

/// <summary>
/// What an account is looked up for, which decides how names that fit several accounts are settled
/// (<see cref="AccountSelector.Select(AccountQuery, AccountUse)"/>).
/// </summary>
public abstract record AccountUse
{
    private AccountUse() { }

    /// <summary>Signing a page: the account named, narrowed to those whose allowed domains hold the page's host.</summary>
    public static AccountUse Page(PageHost page) => new SigningPage(page);

    public static AccountUse Page(Uri page) => new SigningPage(PageHost.Of(page));

    /// <summary>Signing a card (no page URL): the account named by appId, or else the only account.</summary>
    public static readonly AccountUse Cards = new SigningCards();

    /// <summary>An operator route (relay, refresh-now, diagnose by name): the one account named, or the only one.</summary>
    public static readonly AccountUse Operator = new Operating();

    public sealed record SigningPage(PageHost Host) : AccountUse;

    public sealed record SigningCards : AccountUse;

    public sealed record Operating : AccountUse;
}
