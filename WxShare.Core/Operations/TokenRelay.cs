using Microsoft.AspNetCore.Http;
using WxShare.Accounts;
using WxShare.Http;
using WxShare.Signing;

namespace WxShare.Operations;

/// <summary>What the relay's two routes share: the account named, and whether it is relayed at all.</summary>
public sealed class TokenRelay(AccountSelector accounts)
{
    public AccountSelection RelayedAccount(HttpRequest request)
    {
        var selection = accounts.Select(request, AccountUse.Operator);
        if (selection.Account is { Relay: false } account)
            return new AccountSelection(null, Refusal.NotAllowed("relay_disabled",
                $"The token relay is off for '{account.Display}' (account {account.Name}). Turn it on with {account.SettingName("Relay")}=true."));
        return selection;
    }

    public static string Caller(HttpRequest request) => OperatorCaller.Of(request.HttpContext);
}
