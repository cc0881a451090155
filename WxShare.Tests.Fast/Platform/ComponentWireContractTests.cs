using WxShare.Functions.Tests.Wire;
using WxShare.Platform;

namespace WxShare.Functions.Tests.Platform;

/// <summary>
/// What each component call puts on the wire, read by a plain TCP listener: POST, the path, the token only as
/// component_access_token= (none on the two calls that take the secret), a Content-Length equal to the body, JSON,
/// and the exact body of the facts sheet. The capture gives one answer that satisfies every call: each reads its own fields.
/// </summary>
public sealed class ComponentWireContractTests() : WireClientHost(_ =>
    """
    {"errcode":0,"errmsg":"ok","component_access_token":"CT","pre_auth_code":"PAC","expires_in":7200,
     "authorization_info":{"authorizer_appid":"wxaaaabbbbccccdddd","authorizer_access_token":"AAT","expires_in":7200,
       "authorizer_refresh_token":"ART","func_info":[{"funcscope_category":{"id":1}},{"funcscope_category":{"id":15}}]},
     "authorizer_access_token":"AAT2","authorizer_refresh_token":"ART2",
     "total_count":1,"list":[{"authorizer_appid":"wxaaaabbbbccccdddd","refresh_token":"ART3","auth_time":1700000000}]}
    """)
{
    private const string ComponentAppId = "wxc0e1a2b3c4d5e6f7";
    private const string Secret = "component-secret-not-shown";
    private const string ComponentToken = "COMPONENT_TOKEN_ON_THE_WIRE";

    private ComponentApiClient Component => Client<ComponentApiClient>();

    [Fact]
    public async Task Api_component_token_posts_appid_secret_and_ticket_with_no_token_in_the_query()
    {
        var token = await Component.GetComponentTokenAsync(ComponentAppId, Secret, "ticket@@@T", CancellationToken.None);

        Assert.Equal("CT", token.Value);
        AssertPost(Wire.Single(), "/cgi-bin/component/api_component_token", withToken: false,
            $$"""{"component_appid":"{{ComponentAppId}}","component_appsecret":"{{Secret}}","component_verify_ticket":"ticket@@@T"}""");
    }

    [Fact]
    public async Task Api_create_preauthcode_posts_the_component_appid()
    {
        var code = await Component.CreatePreAuthCodeAsync(ComponentToken, ComponentAppId, CancellationToken.None);

        Assert.Equal("PAC", code.Value);
        AssertPost(Wire.Single(), "/cgi-bin/component/api_create_preauthcode", withToken: true, $$"""{"component_appid":"{{ComponentAppId}}"}""");
    }

    [Fact]
    public async Task Api_query_auth_posts_the_code_and_reads_the_grant()
    {
        var grant = await Component.QueryAuthAsync(ComponentToken, ComponentAppId, "queryauthcode@@@C", CancellationToken.None);

        Assert.Equal("wxaaaabbbbccccdddd", grant.AuthorizerAppId);
        Assert.Equal("AAT", grant.AccessToken.Value);
        Assert.Equal("ART", grant.RefreshToken);
        Assert.Equal([1, 15], grant.FuncInfo);
        AssertPost(Wire.Single(), "/cgi-bin/component/api_query_auth", withToken: true,
            $$"""{"component_appid":"{{ComponentAppId}}","authorization_code":"queryauthcode@@@C"}""");
    }

    [Fact]
    public async Task Api_authorizer_token_posts_the_refresh_token_and_returns_the_new_one()
    {
        var grant = await Component.GetAuthorizerTokenAsync(ComponentToken, ComponentAppId, "wxaaaabbbbccccdddd", "ART", CancellationToken.None);

        Assert.Equal("AAT2", grant.AccessToken.Value);
        Assert.Equal("ART2", grant.RefreshToken);
        AssertPost(Wire.Single(), "/cgi-bin/component/api_authorizer_token", withToken: true,
            $$"""{"component_appid":"{{ComponentAppId}}","authorizer_appid":"wxaaaabbbbccccdddd","authorizer_refresh_token":"ART"}""");
    }

    [Fact]
    public async Task Api_get_authorizer_list_posts_offset_and_count()
    {
        var page = await Component.GetAuthorizerListAsync(ComponentToken, ComponentAppId, 0, 500, CancellationToken.None);

        Assert.Equal(1, page.TotalCount);
        var listed = Assert.Single(page.Authorizers);
        Assert.Equal(("wxaaaabbbbccccdddd", "ART3", DateTimeOffset.FromUnixTimeSeconds(1700000000)), (listed.AuthorizerAppId, listed.RefreshToken, listed.AuthorizedAt));
        AssertPost(Wire.Single(), "/cgi-bin/component/api_get_authorizer_list", withToken: true,
            $$"""{"component_appid":"{{ComponentAppId}}","offset":0,"count":500}""");
    }

    [Fact]
    public async Task Api_start_push_ticket_posts_appid_and_secret_with_no_token()
    {
        await Component.StartPushTicketAsync(ComponentAppId, Secret, CancellationToken.None);

        AssertPost(Wire.Single(), "/cgi-bin/component/api_start_push_ticket", withToken: false,
            $$"""{"component_appid":"{{ComponentAppId}}","component_secret":"{{Secret}}"}""");
    }

    private static void AssertPost(CapturedRequest request, string path, bool withToken, string expectedBody)
    {
        if (withToken)
        {
            Assert.Equal(["component_access_token"], request.QueryKeys);
            Assert.Equal(ComponentToken, request.QueryValue("component_access_token"));
        }
        else
            Assert.Empty(request.QueryKeys);
        // Not printed when it differs: some bodies hold the component secret.
        AssertJsonPost(request, path, expectedBody, holdsSecret: true);
    }
}
