using System.Text.Json.Serialization;
using WxShare.Errors;
using WxShare.Http;
using WxShare.WeChat;

namespace WxShare.Platform;

/// <summary>
/// The Open Platform's component calls (POST JSON on api.weixin.qq.com, the token as <c>component_access_token=</c>
/// in the query), through the shared send path. Its HttpClient must not log request URIs: they hold tokens.
/// </summary>
public sealed class ComponentApiClient(HttpClient http, TimeProvider time)
{
    /// <summary>api_get_authorizer_list answers at most this many per page.</summary>
    public const int MaxAuthorizersPerPage = 500;

    private readonly CredentialCallSender _sender = new(http, time, "WeChat", PlatformErrorClassifier.Classify);

    /// <summary>POST api_component_token: the component token, from the latest pushed verify ticket (61005/61006 when that is stale).</summary>
    public async Task<IssuedCredential> GetComponentTokenAsync(string componentAppId, string componentAppSecret, string verifyTicket, CancellationToken cancellationToken)
    {
        var fetchedAt = time.GetUtcNow();
        var answer = await PostAsync(ApiCall.ComponentToken, "cgi-bin/component/api_component_token", null,
            new ComponentTokenRequest(componentAppId, componentAppSecret, verifyTicket), ComponentJson.Default.ComponentTokenRequest,
            ComponentJson.Default.ComponentTokenAnswer, cancellationToken);
        return Issued(ApiCall.ComponentToken, answer.ComponentAccessToken, answer.ExpiresIn, fetchedAt);
    }

    /// <summary>POST api_create_preauthcode: a single-use code for one authorization page.</summary>
    public async Task<IssuedCredential> CreatePreAuthCodeAsync(string componentToken, string componentAppId, CancellationToken cancellationToken)
    {
        var fetchedAt = time.GetUtcNow();
        var answer = await PostAsync(ApiCall.PreAuthCode, "cgi-bin/component/api_create_preauthcode", componentToken,
            new ComponentAppIdRequest(componentAppId), ComponentJson.Default.ComponentAppIdRequest, ComponentJson.Default.PreAuthCodeAnswer, cancellationToken);
        return Issued(ApiCall.PreAuthCode, answer.PreAuthCode, answer.ExpiresIn, fetchedAt);
    }

    /// <summary>POST api_query_auth: exchanges an authorization code for the account's first access token and its refresh token.</summary>
    public async Task<AuthorizationGrant> QueryAuthAsync(string componentToken, string componentAppId, string authorizationCode, CancellationToken cancellationToken)
    {
        var fetchedAt = time.GetUtcNow();
        var answer = await PostAsync(ApiCall.QueryAuth, "cgi-bin/component/api_query_auth", componentToken,
            new QueryAuthRequest(componentAppId, authorizationCode), ComponentJson.Default.QueryAuthRequest, ComponentJson.Default.QueryAuthAnswer, cancellationToken);
        var info = answer.AuthorizationInfo;
        if (info is null || string.IsNullOrEmpty(info.AuthorizerAppId) || string.IsNullOrEmpty(info.AuthorizerRefreshToken))
            throw _sender.Unusable(ApiCall.QueryAuth, "the response has no authorization_info with authorizer_appid and authorizer_refresh_token");
        return new AuthorizationGrant(info.AuthorizerAppId,
            Issued(ApiCall.QueryAuth, info.AuthorizerAccessToken, info.ExpiresIn, fetchedAt),
            info.AuthorizerRefreshToken,
            (info.FuncInfo ?? []).Select(f => f.FuncscopeCategory?.Id).OfType<int>().ToArray());
    }

    /// <summary>POST api_authorizer_token: an account's access token from its refresh token; store the refresh token it returns.</summary>
    public async Task<AuthorizerTokenGrant> GetAuthorizerTokenAsync(string componentToken, string componentAppId, string authorizerAppId, string refreshToken,
        CancellationToken cancellationToken)
    {
        var fetchedAt = time.GetUtcNow();
        var answer = await PostAsync(ApiCall.AuthorizerToken, "cgi-bin/component/api_authorizer_token", componentToken,
            new AuthorizerTokenRequest(componentAppId, authorizerAppId, refreshToken), ComponentJson.Default.AuthorizerTokenRequest,
            ComponentJson.Default.AuthorizerTokenAnswer, cancellationToken);
        return new AuthorizerTokenGrant(
            Issued(ApiCall.AuthorizerToken, answer.AuthorizerAccessToken, answer.ExpiresIn, fetchedAt),
            string.IsNullOrEmpty(answer.AuthorizerRefreshToken) ? refreshToken : answer.AuthorizerRefreshToken);
    }

    /// <summary>POST api_get_authorizer_list: one page of the accounts that authorized the platform, with their refresh tokens (recovers lost ones).</summary>
    public async Task<AuthorizerListPage> GetAuthorizerListAsync(string componentToken, string componentAppId, int offset, int count,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxAuthorizersPerPage);
        var answer = await PostAsync(ApiCall.AuthorizerList, "cgi-bin/component/api_get_authorizer_list", componentToken,
            new AuthorizerListRequest(componentAppId, offset, count), ComponentJson.Default.AuthorizerListRequest,
            ComponentJson.Default.AuthorizerListAnswer, cancellationToken);
        if (answer.TotalCount is not { } total)
            throw _sender.Unusable(ApiCall.AuthorizerList, "the response has no total_count");
        return new AuthorizerListPage(total, (answer.List ?? [])
            .Where(a => !string.IsNullOrEmpty(a.AuthorizerAppId) && !string.IsNullOrEmpty(a.RefreshToken))
            .Select(a => new ListedAuthorizer(a.AuthorizerAppId!, a.RefreshToken!, a.AuthTime is { } at ? DateTimeOffset.FromUnixTimeSeconds(at) : null))
            .ToArray());
    }

    /// <summary>POST api_start_push_ticket: asks WeChat to (re)start pushing verify tickets; no token (as WxJava sends it).</summary>
    public Task StartPushTicketAsync(string componentAppId, string componentAppSecret, CancellationToken cancellationToken) =>
        PostAsync(ApiCall.StartPushTicket, "cgi-bin/component/api_start_push_ticket", null,
            new StartPushTicketRequest(componentAppId, componentAppSecret), ComponentJson.Default.StartPushTicketRequest,
            ComponentJson.Default.ServiceAnswer, cancellationToken);

    private Task<TAnswer> PostAsync<TRequest, TAnswer>(ApiCall call, string path, string? componentToken, TRequest body,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<TRequest> requestType, System.Text.Json.Serialization.Metadata.JsonTypeInfo<TAnswer> answerType,
        CancellationToken cancellationToken)
        where TAnswer : class, IServiceAnswer =>
        _sender.SendJsonAsync(call,
            () => new HttpRequestMessage(HttpMethod.Post,
                componentToken is null ? path : $"{path}?component_access_token={Uri.EscapeDataString(componentToken)}")
            {
                Content = CredentialCallSender.JsonBody(body, requestType),
            },
            answerType, cancellationToken);

    private IssuedCredential Issued(ApiCall call, string? value, int? expiresIn, DateTimeOffset fetchedAt) =>
        !string.IsNullOrEmpty(value) && expiresIn is > 0
            ? new IssuedCredential(value, fetchedAt, fetchedAt.AddSeconds(expiresIn.Value))
            : throw _sender.Unusable(call, "the response has no credential or no expires_in");
}

/// <summary>What api_query_auth grants: the account, its first access token, its refresh token and the permission sets (func_info ids).</summary>
public sealed record AuthorizationGrant(string AuthorizerAppId, IssuedCredential AccessToken, string RefreshToken, IReadOnlyList<int> FuncInfo)
{
    public override string ToString() => $"AuthorizationGrant {{ AuthorizerAppId = {AuthorizerAppId}, FuncInfo = [{string.Join(",", FuncInfo)}] }}";
}

/// <summary>What api_authorizer_token grants: the access token and the refresh token to store from now on.</summary>
public sealed record AuthorizerTokenGrant(IssuedCredential AccessToken, string RefreshToken)
{
    public override string ToString() => $"AuthorizerTokenGrant {{ AccessToken = {AccessToken} }}";
}

public sealed record AuthorizerListPage(int TotalCount, IReadOnlyList<ListedAuthorizer> Authorizers);

/// <summary>One entry of api_get_authorizer_list: an account with its current refresh token and when it authorized.</summary>
public sealed record ListedAuthorizer(string AuthorizerAppId, string RefreshToken, DateTimeOffset? AuthorizedAt)
{
    public override string ToString() => $"ListedAuthorizer {{ AuthorizerAppId = {AuthorizerAppId}, AuthorizedAt = {AuthorizedAt:O} }}";
}

internal sealed record ComponentTokenRequest(
    [property: JsonPropertyName("component_appid")] string ComponentAppId,
    [property: JsonPropertyName("component_appsecret")] string ComponentAppSecret,
    [property: JsonPropertyName("component_verify_ticket")] string ComponentVerifyTicket);

internal sealed record ComponentAppIdRequest([property: JsonPropertyName("component_appid")] string ComponentAppId);

internal sealed record QueryAuthRequest(
    [property: JsonPropertyName("component_appid")] string ComponentAppId,
    [property: JsonPropertyName("authorization_code")] string AuthorizationCode);

internal sealed record AuthorizerTokenRequest(
    [property: JsonPropertyName("component_appid")] string ComponentAppId,
    [property: JsonPropertyName("authorizer_appid")] string AuthorizerAppId,
    [property: JsonPropertyName("authorizer_refresh_token")] string AuthorizerRefreshToken);

internal sealed record AuthorizerListRequest(
    [property: JsonPropertyName("component_appid")] string ComponentAppId,
    [property: JsonPropertyName("offset")] int Offset,
    [property: JsonPropertyName("count")] int Count);

internal sealed record StartPushTicketRequest(
    [property: JsonPropertyName("component_appid")] string ComponentAppId,
    [property: JsonPropertyName("component_secret")] string ComponentSecret);

internal sealed record ComponentTokenAnswer(
    int? ErrorCode, string? ErrorMessage,
    [property: JsonPropertyName("component_access_token")] string? ComponentAccessToken,
    [property: JsonPropertyName("expires_in")] int? ExpiresIn) : ServiceAnswer(ErrorCode, ErrorMessage);

internal sealed record PreAuthCodeAnswer(
    int? ErrorCode, string? ErrorMessage,
    [property: JsonPropertyName("pre_auth_code")] string? PreAuthCode,
    [property: JsonPropertyName("expires_in")] int? ExpiresIn) : ServiceAnswer(ErrorCode, ErrorMessage);

internal sealed record QueryAuthAnswer(
    int? ErrorCode, string? ErrorMessage,
    [property: JsonPropertyName("authorization_info")] AuthorizationInfoAnswer? AuthorizationInfo) : ServiceAnswer(ErrorCode, ErrorMessage);

internal sealed record AuthorizationInfoAnswer(
    [property: JsonPropertyName("authorizer_appid")] string? AuthorizerAppId,
    [property: JsonPropertyName("authorizer_access_token")] string? AuthorizerAccessToken,
    [property: JsonPropertyName("expires_in")] int? ExpiresIn,
    [property: JsonPropertyName("authorizer_refresh_token")] string? AuthorizerRefreshToken,
    [property: JsonPropertyName("func_info")] IReadOnlyList<FuncInfoAnswer>? FuncInfo);

internal sealed record FuncInfoAnswer([property: JsonPropertyName("funcscope_category")] FuncScopeAnswer? FuncscopeCategory);

internal sealed record FuncScopeAnswer([property: JsonPropertyName("id")] int? Id);

internal sealed record AuthorizerTokenAnswer(
    int? ErrorCode, string? ErrorMessage,
    [property: JsonPropertyName("authorizer_access_token")] string? AuthorizerAccessToken,
    [property: JsonPropertyName("expires_in")] int? ExpiresIn,
    [property: JsonPropertyName("authorizer_refresh_token")] string? AuthorizerRefreshToken) : ServiceAnswer(ErrorCode, ErrorMessage);

internal sealed record AuthorizerListAnswer(
    int? ErrorCode, string? ErrorMessage,
    [property: JsonPropertyName("total_count")] int? TotalCount,
    [property: JsonPropertyName("list")] IReadOnlyList<ListedAuthorizerAnswer>? List) : ServiceAnswer(ErrorCode, ErrorMessage);

internal sealed record ListedAuthorizerAnswer(
    [property: JsonPropertyName("authorizer_appid")] string? AuthorizerAppId,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("auth_time")] long? AuthTime);

[JsonSerializable(typeof(ComponentTokenRequest))]
[JsonSerializable(typeof(ComponentAppIdRequest))]
[JsonSerializable(typeof(QueryAuthRequest))]
[JsonSerializable(typeof(AuthorizerTokenRequest))]
[JsonSerializable(typeof(AuthorizerListRequest))]
[JsonSerializable(typeof(StartPushTicketRequest))]
[JsonSerializable(typeof(ServiceAnswer))]
[JsonSerializable(typeof(ComponentTokenAnswer))]
[JsonSerializable(typeof(PreAuthCodeAnswer))]
[JsonSerializable(typeof(QueryAuthAnswer))]
[JsonSerializable(typeof(AuthorizerTokenAnswer))]
[JsonSerializable(typeof(AuthorizerListAnswer))]
internal sealed partial class ComponentJson : JsonSerializerContext;
