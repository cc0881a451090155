using System.Net.Http.Headers;

namespace WxShare.Functions.Tests.Infrastructure;

/// <summary>Keys__&lt;name&gt;__* settings for tests, and the Bearer header a caller sends.</summary>
internal static class TestKeys
{
    /// <summary>A key with every route on every account, named <paramref name="name"/>.</summary>
    public static void AddOperator(IDictionary<string, string?> settings, string name, string secret) =>
        Add(settings, name, secret, routes: "*", accounts: "*");

    public static void Add(IDictionary<string, string?> settings, string name, string secret, string routes, string accounts, string? nextSecret = null)
    {
        settings[$"Keys:{name}:Secret"] = secret;
        settings[$"Keys:{name}:Routes"] = routes;
        settings[$"Keys:{name}:Accounts"] = accounts;
        if (nextSecret is not null)
            settings[$"Keys:{name}:NextSecret"] = nextSecret;
    }

    /// <summary>A secret of the minimum length, different per <paramref name="seed"/>.</summary>
    public static string Secret(char seed) => new(seed, WxShare.Http.KeyRing.MinimumSecretLength);

    public static AuthenticationHeaderValue Bearer(string secret) => new("Bearer", secret);
}
