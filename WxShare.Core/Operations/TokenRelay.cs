using Microsoft.AspNetCore.Http;
using WxShare.Accounts;
using WxShare.Http;

namespace WxShare.Operations;

/// <summary>What the relay's two routes share: whether the account is relayed at all, and who asked.</summary>
public static class TokenRelay
{
    /// <summary>The relay's condition on the selected account (<see cref="OperationsResults.TrySelectAccount"/>): its Relay setting is on.</summary>
    public static Refusal? Admit(Account account) =>
        account.Relay
            ? null
            : Refusal.NotAllowed("relay_disabled",
                $"The token relay is off for '{account.Display}' (account {account.Name}). Turn it on with {account.SettingName("Relay")}=true.");

    public static string Caller(HttpRequest request) => OperatorCaller.Of(request.HttpContext);
}
