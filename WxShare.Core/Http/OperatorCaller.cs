using Microsoft.AspNetCore.Http;
using WxShare.Accounts;

namespace WxShare.Http;

/// <summary>The key a call came with (set by <see cref="KeyCheck"/>), for the account check and the log.</summary>
public static class OperatorCaller
{
    private static readonly object ItemKey = new();

    /// <summary>What the log says of a call that came without a key (an anonymous route).</summary>
    public const string Anonymous = "(no key)";

    public static void Set(HttpContext context, ApiKey key) => context.Items[ItemKey] = key;

    public static ApiKey? KeyOf(HttpContext context) => context.Items[ItemKey] as ApiKey;

    /// <summary>Whether the call may learn of the account: it came without a key (an anonymous route), or with one whose Accounts reach it.</summary>
    public static bool Reaches(HttpContext context, Account account) => KeyOf(context) is not { } key || key.AllowsAccount(account);

    public static string Of(HttpContext context) => KeyOf(context)?.Name ?? Anonymous;
}
