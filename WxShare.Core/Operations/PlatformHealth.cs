using System.Globalization;
using System.Text.Json.Serialization;
using WxShare.Errors;
using WxShare.Platform;

namespace WxShare.Operations;

/// <summary>
/// A third-party platform in the detailed health report: its status and why, the verify ticket's and the component
/// token's times (never their values), how many accounts authorized it, and the component token's last refresh error.
/// </summary>
public sealed record PlatformHealth(
    string Name,
    string ComponentAppId,
    string Status,
    string Reason,
    VerifyTicketHealth? VerifyTicket,
    CredentialHealth? ComponentToken,
    AuthorizerCounts Authorizers,
    LastApiError? LastError,
    DateTimeOffset? RetryNotBefore)
{
    /// <summary>The reason as a stranger may read it: no errmsg, address, rid or times.</summary>
    [JsonIgnore]
    public string PublicReason { get; init; } = "";

    public PublicPlatformHealth Public() => new(Name, Status, PublicReason);

    /// <summary>
    /// <see cref="HealthStatus.Unhealthy"/> without a valid component token while accounts depend on it (their tokens
    /// cannot be refreshed); <see cref="HealthStatus.Degraded"/> without one while none does (no account can be onboarded
    /// yet), or with one that cannot be renewed (no usable verify ticket), a failing refresh, or authorizations whose code
    /// was never exchanged; else <see cref="HealthStatus.Healthy"/>.
    /// </summary>
    public static PlatformHealth Assess(PlatformState state, DateTimeOffset now, ApiErrorAdvisor advisor)
    {
        var platform = state.Platform;
        var account = platform.ComponentAccount;
        var ticket = state.LastVerifyTicket;
        var ticketAge = state.VerifyTicketAgeAt(now) ?? TimeSpan.Zero;
        var token = state.ComponentToken is { } held && held.IsValidAt(now) ? held : null;
        var failure = state.ComponentFailure;
        var advice = failure is null ? null : advisor.Advise(account, failure);
        var counts = new AuthorizerCounts(state.ServedCount, state.CountOf(AuthorizerStatus.Unauthorized),
            state.CountOf(AuthorizerStatus.PendingExchange), state.CountOf(AuthorizerStatus.CodeExpired));
        var dependents = counts.Authorized + counts.PendingExchange;

        // Why no component token can be fetched now, if so: the verify ticket is the one thing it is fetched with.
        var (ticketProblem, publicTicketProblem) = ticket switch
        {
            null => ($"no component_verify_ticket has been received yet (WeChat pushes one every 10 minutes to {platform.EventPath} once the "
                     + "Open Platform console's 授权事件接收URL points there)", "no verify ticket has been received yet"),
            _ when !state.VerifyTicketUsableAt(now) => ($"the last component_verify_ticket, received at {ticket.ReceivedAt:u}, is "
                     + $"{Hours(ticketAge)} old, over WeChat's 12 hours (61005): check the 授权事件接收URL in the Open Platform console",
                "the verify ticket is older than 12 hours"),
            _ => ((string?)null, (string?)null),
        };
        var failureNote = failure is null ? "" : " " + ApiErrorAdvisor.Describe(account, failure, advice!);
        var publicFailureNote = failure is null ? ""
            : " The last component token refresh failed" + (failure.ErrorCode is { } code ? $" with errcode {code.ToString(CultureInfo.InvariantCulture)}" : "") + ".";

        string status, reason, publicReason;
        if (token is null)
        {
            status = dependents > 0 ? HealthStatus.Unhealthy : HealthStatus.Degraded;
            var consequence = dependents > 0 ? $"the tokens of its {dependents} account(s) cannot be refreshed" : "no account can authorize it yet";
            reason = $"No valid component token: {ticketProblem ?? "none has been fetched yet"}; {consequence}." + failureNote;
            publicReason = $"No valid component token: {publicTicketProblem ?? "none has been fetched yet"}." + publicFailureNote;
        }
        else
        {
            var left = token.ExpiresAt - now;
            (status, reason, publicReason) = (ticketProblem, failure) switch
            {
                ({ } problem, _) => (HealthStatus.Degraded, $"The component token serves {Minutes(left)} more, but cannot be renewed: {problem}." + failureNote,
                    $"The component token cannot be renewed: {publicTicketProblem}." + publicFailureNote),
                (null, { }) => (HealthStatus.Degraded, $"The component token serves {Minutes(left)} more." + failureNote,
                    "The component token is valid." + publicFailureNote),
                _ => (HealthStatus.Healthy, $"The component token is valid for {Minutes(left)}; the verify ticket is {Minutes(ticketAge)} old.",
                    "The component token is valid."),
            };
        }

        if (counts.PendingExchange > 0)
        {
            status = status == HealthStatus.Healthy ? HealthStatus.Degraded : status;
            reason += $" {counts.PendingExchange} authorization(s) wait for their code exchange (api_query_auth failed): "
                      + "each refresh tick retries it while the code is valid (about an hour).";
            publicReason += $" {counts.PendingExchange} authorization(s) are not completed.";
        }
        if (counts.CodeExpired > 0)
        {
            status = status == HealthStatus.Healthy ? HealthStatus.Degraded : status;
            reason += $" {counts.CodeExpired} authorization(s) lapsed: their code expired before it could be exchanged; "
                      + $"the account's administrator authorizes again from a new link ({platform.AuthorizePath}).";
            publicReason += $" {counts.CodeExpired} authorization(s) must be authorized again.";
        }

        return new PlatformHealth(platform.Name, platform.ComponentAppId, status, reason,
            ticket is null ? null : new VerifyTicketHealth(ticket.ReceivedAt, Math.Max(0, (long)ticketAge.TotalSeconds)),
            HealthEndpoint.Describe(state.ComponentToken, now),
            counts,
            failure is null ? null : new LastApiError(failure.Call.ToString(), failure.ErrorCode, failure.Message, failure.At, advice!.Rid, advice),
            state.ComponentCredentials.RetryNotBefore > now ? state.ComponentCredentials.RetryNotBefore : null)
        {
            PublicReason = publicReason,
        };
    }

    private static string Minutes(TimeSpan span) => $"{(int)span.TotalMinutes} min";

    private static string Hours(TimeSpan span) => $"{(int)span.TotalHours} h";
}

/// <summary>When the last component_verify_ticket was received and how old it is (since WeChat's CreateTime); never the ticket.</summary>
public sealed record VerifyTicketHealth(DateTimeOffset ReceivedAt, long AgeSeconds);

/// <summary>
/// The platform's authorizer rows by status: authorized and served (as the authorizers route counts them), withdrawn (kept
/// as a record), authorized but with the code not yet exchanged (retried by the refresh), and those whose code expired
/// unexchanged (to authorize again).
/// </summary>
public sealed record AuthorizerCounts(int Authorized, int Unauthorized, int PendingExchange, int CodeExpired);

/// <summary>A platform in the anonymous health view: its name, status and a reason without times, errmsg, IP or rid.</summary>
public sealed record PublicPlatformHealth(string Name, string Status, string Reason);
