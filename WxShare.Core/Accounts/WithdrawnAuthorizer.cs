namespace WxShare.Accounts;

/// <summary>
/// An official account that authorized a third-party platform and then withdrew (the <c>unauthorized</c> push, or 61003):
/// no longer served, and every route that names it says so (<see cref="Refusal"/>), instead of "unknown account".
/// </summary>
/// <param name="UnauthorizedAt">When it withdrew; null when the record does not say.</param>
public sealed record WithdrawnAuthorizer(string Platform, string AppId, DateTimeOffset? UnauthorizedAt)
{
    /// <summary>403 <c>account_unauthorized</c>: what every route answers for the account, and what the diagnosis reports.</summary>
    public Refusal Refusal() =>
        WxShare.Refusal.NotAllowed("account_unauthorized",
            $"The official account with appId '{AppId}' withdrew its authorization of platform {Platform}"
            + (UnauthorizedAt is { } at ? $" on {at:yyyy-MM-dd HH:mm} UTC" : "")
            + $": its credentials are no longer kept or served. Have the account authorize the platform again "
            + $"(the link from GET /api/platform/{Platform}/authorize).");
}
