using Microsoft.AspNetCore.Http;

namespace WxShare.Http;

/// <summary>The name of the key a key-protected call came with, as the log reports it.</summary>
public static class OperatorCaller
{
    private static readonly object ItemKey = new();

    /// <summary>What the Functions app logs: its host checks the function key and does not tell the worker which one.</summary>
    public const string FunctionsHostKey = "(a function key, checked by the Functions host)";

    public static void Set(HttpContext context, string keyName) => context.Items[ItemKey] = keyName;

    public static string Of(HttpContext context) => context.Items[ItemKey] as string ?? FunctionsHostKey;
}
