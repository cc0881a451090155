using System.Net;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using WxShare.Errors;
using WxShare.Http;
using WxShare.Storage;

namespace WxShare.Platform;

/// <summary>
/// The four platform routes of <see cref="ApiRoutes"/> (<c>/api/platform/{name}/…</c>), adapting the platform's Core
/// services to HTTP: the event receiver (anonymous, authenticated by msg_signature), the authorization link (key), the
/// authorized redirect (anonymous: it only exchanges a single-use code WeChat gave the account's administrator and
/// answers a short page) and the list of authorizers with their credential times (key; never a credential).
/// </summary>
public sealed class PlatformEndpoints(
    PlatformRegistry platforms,
    PlatformEventReceiver receiver,
    PlatformOnboarding onboarding,
    AuthorizerDirectory directory,
    PlatformStore platformStore,
    CredentialStore store,
    ApiErrorAdvisor advisor,
    TimeProvider time)
{
    public const string NameRouteValue = "name";
    /// <summary>A link's pre_auth_code is single-use: a retry after 10 minutes finds a pushed ticket if the console is set up.</summary>
    private static readonly TimeSpan NoTicketRetryAfter = TimeSpan.FromMinutes(10);

    public async Task<IResult> ReceiveEventAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var q = request.Query;
        var outcome = await receiver.ReceiveAsync(NameOf(request), q["timestamp"], q["nonce"], q["encrypt_type"], q["msg_signature"], request.Body,
            cancellationToken);
        return outcome.Rejection is { } rejection
            ? ApiErrors.Write(request.HttpContext.Response, rejection.StatusCode(), rejection.Code(), rejection.Describe())
            : TypedResults.Text(PlatformEventOutcome.SuccessBody, "text/plain");
    }

    /// <summary>GET …/authorize: the authorization URL (PC page, or the mobile form for a phone's User-Agent) to open from the platform's 授权发起页域名.</summary>
    public async Task<IResult> AuthorizeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (Find(request) is not { } platform)
            return Unknown(request);
        var redirect = new Uri($"{request.Scheme}://{request.Host}{request.PathBase}{ApiRoute.Prefix}platform/{platform.Name}/authorized");
        AuthorizationLink? link;
        try
        {
            link = await onboarding.CreateLinkAsync(platform, redirect, PlatformOnboarding.IsMobile(request.Headers.UserAgent), cancellationToken);
        }
        catch (ApiCallException e)
        {
            return WeChatFailed(request, platform, e);
        }
        if (link is null)
            return ApiErrors.Refused(request.HttpContext.Response, NoComponentToken(platform));
        return TypedResults.Json(new AuthorizationLinkAnswer(link.Url, link.Mobile, link.ExpiresAt, redirect.ToString()), PlatformJson.Answers.AuthorizationLinkAnswer);
    }

    /// <summary>GET …/authorized?auth_code=…: WeChat's redirect after the account's consent; answers a short HTML page.</summary>
    public async Task<IResult> AuthorizedAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (Find(request) is not { } platform)
            return Unknown(request);
        var codes = request.Query["auth_code"];
        if (codes.Count != 1 || string.IsNullOrWhiteSpace(codes[0]) || codes[0]!.Length > 512)
            return ApiErrors.Write(request.HttpContext.Response, StatusCodes.Status400BadRequest, "auth_code_missing",
                "WeChat's redirect carries one auth_code (…/authorized?auth_code=…&expires_in=600): open the link of GET /api/platform/<name>/authorize.");
        AuthorizationResult result;
        try
        {
            result = await onboarding.CompleteAsync(platform, codes[0]!, cancellationToken);
        }
        catch (ApiCallException e)
        {
            return WeChatFailed(request, platform, e);
        }
        return result.Completion switch
        {
            AuthorizationCompletion.Stored or AuthorizationCompletion.StoredByPush => Page(StatusCodes.Status200OK, "Authorized",
                $"Official account {result.Authorizer!.AuthorizerAppId} authorized platform {platform.Name}. WxShare keeps its credentials from now on; "
                + $"its pages on {string.Join(", ", platform.AllowedDomains)} are signed with appId={result.Authorizer.AuthorizerAppId}."),
            AuthorizationCompletion.NoComponentToken => ApiErrors.Refused(request.HttpContext.Response, NoComponentToken(platform)),
            _ => ApiErrors.Write(request.HttpContext.Response, StatusCodes.Status400BadRequest, "auth_code_invalid",
                "WeChat does not know this auth_code, or it was used or has expired (61010), and no account was stored with it: authorize again."),
        };
    }

    /// <summary>GET …/authorizers: every account that ever authorized the platform, its status and credential times; never a credential.</summary>
    public async Task<IResult> ListAuthorizersAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (Find(request) is not { } platform)
            return Unknown(request);
        var now = time.GetUtcNow();
        var state = await PlatformState.ReadAsync(platform, platformStore, store, cancellationToken);
        directory.Apply(platform, state.Authorizers);
        var authorizers = await Task.WhenAll(state.Authorizers.OrderBy(r => r.AuthorizerAppId, StringComparer.Ordinal).Select(async row =>
        {
            var account = platform.AuthorizerAccount(row.AuthorizerAppId);
            var credentials = await store.GetAsync(account.StorageKey, cancellationToken);
            return new AuthorizerAnswer(row.AuthorizerAppId, row.Status.ToString(), row.FuncInfo, row.AuthorizedAt, row.UnauthorizedAt,
                credentials.AccessToken?.ExpiresAt, credentials.JsapiTicket?.FetchedAt, credentials.JsapiTicket?.ExpiresAt,
                platform.Cards ? credentials.CardTicket?.ExpiresAt : null,
                row.ExchangeState(platform.AuthorizePath) ?? (credentials.LastFailure is { } failure ? advisor.Describe(account, failure) : null));
        }));
        return TypedResults.Json(new AuthorizersAnswer(platform.Name, platform.ComponentAppId,
            state.VerifyTicketAgeAt(now) is { } age ? (long)age.TotalSeconds : null,
            state.ComponentToken?.ExpiresAt,
            state.ComponentFailure is { } componentFailure ? advisor.Describe(platform.ComponentAccount, componentFailure) : null,
            state.ServedCount, authorizers), PlatformJson.Answers.AuthorizersAnswer);
    }

    private static string NameOf(HttpRequest request) => request.RouteValues[NameRouteValue]?.ToString() ?? "";

    private ThirdPartyPlatform? Find(HttpRequest request) => platforms.Find(NameOf(request));

    // The name came from the URL: echoed only as the list of configured ones.
    private IResult Unknown(HttpRequest request) =>
        ApiErrors.Write(request.HttpContext.Response, StatusCodes.Status404NotFound, "unknown_platform",
            $"No platform of this name is configured here (configured: {string.Join(", ", platforms.All.Select(p => p.Name))}; settings Platforms__<name>__*).");

    private static Refusal NoComponentToken(ThirdPartyPlatform platform) =>
        Refusal.Unavailable("no_component_token",
            $"Platform {platform.Name} holds no component token yet: no component_verify_ticket has reached {platform.EventPath}. WeChat pushes one every "
            + "10 minutes once the console's 授权事件接收URL points there (WxShare has asked for one with api_start_push_ticket).", NoTicketRetryAfter);

    private IResult WeChatFailed(HttpRequest request, ThirdPartyPlatform platform, ApiCallException e)
    {
        var advice = ApiErrorAdvice.For(ApiService.OpenPlatform, platform.ComponentAccount, e.Call, e.ErrorCode, e.ErrorMessage, time.GetUtcNow(), null);
        return ApiErrors.Write(request.HttpContext.Response, StatusCodes.Status502BadGateway, "wechat_refused", $"{e.Message} {advice.Text}");
    }

    private static IResult Page(int status, string title, string text) =>
        TypedResults.Content($"<!doctype html><html><head><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(title)}</title></head>"
                             + $"<body><h1>{WebUtility.HtmlEncode(title)}</h1><p>{WebUtility.HtmlEncode(text)}</p></body></html>",
            "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
}

public sealed record AuthorizationLinkAnswer(string Url, bool Mobile, DateTimeOffset ExpiresAt, string RedirectUri);

/// <param name="Status">Authorized, PendingExchange, CodeExpired or Unauthorized.</param>
/// <param name="LastError">
/// For PendingExchange and CodeExpired, where the exchange stands and what to do (CodeExpired: authorize again); else the
/// last refresh failure with its advice; null when the last refresh succeeded.
/// </param>
public sealed record AuthorizerAnswer(string AppId, string Status, IReadOnlyList<int> FuncInfo, DateTimeOffset? AuthorizedAt, DateTimeOffset? UnauthorizedAt,
    DateTimeOffset? AccessTokenExpiresAt, DateTimeOffset? JsapiTicketFetchedAt, DateTimeOffset? JsapiTicketExpiresAt, DateTimeOffset? CardTicketExpiresAt,
    string? LastError);

/// <param name="VerifyTicketAgeSeconds">How old the last pushed component_verify_ticket is (WeChat honours it 12 hours); null when none came.</param>
public sealed record AuthorizersAnswer(string Platform, string ComponentAppId, long? VerifyTicketAgeSeconds, DateTimeOffset? ComponentTokenExpiresAt,
    string? ComponentLastError, int AuthorizedCount, IReadOnlyList<AuthorizerAnswer> Authorizers);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AuthorizationLinkAnswer))]
[JsonSerializable(typeof(AuthorizersAnswer))]
internal sealed partial class PlatformJson : JsonSerializerContext
{
    /// <summary>With the one encoder setting of every answer (<see cref="WxShareJson"/>), camelCase, nulls left out.</summary>
    public static PlatformJson Answers { get; } = new(WithCamelCase(WxShareJson.Options(JsonIgnoreCondition.WhenWritingNull)));

    private static System.Text.Json.JsonSerializerOptions WithCamelCase(System.Text.Json.JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase;
        return options;
    }
}
