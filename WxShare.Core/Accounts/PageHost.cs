namespace WxShare.Accounts;

/// <summary>The host of a page to sign: as accounts' allowed domains match it, and as a refusal shows it.</summary>
/// <param name="Name">The host as <see cref="Uri.IdnHost"/> gives it: lower case, punycode for an international name.</param>
/// <param name="Display">The host as <see cref="Uri.Host"/> gives it, for messages.</param>
public readonly record struct PageHost(string Name, string Display)
{
    public static PageHost Of(Uri page) => new(page.IdnHost, page.Host);
}
