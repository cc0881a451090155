using WxShare.WeChat;
using WxShare.WeChatSandbox;
using WxShare.WeCom;

namespace WxShare.Functions.Tests.Wire;

/// <summary>
/// What each WeChat and WeCom call puts on the wire, read by a plain TCP listener: method, path, query keys, framing
/// (a Content-Length equal to the body, never chunked: WeChat answers a chunked POST 412), content type, exact body.
/// </summary>
public sealed class WireContractTests() : WireClientHost(_ =>
    $$"""{"errcode":0,"errmsg":"ok","access_token":"{{Token}}","ticket":"TICKET_ON_THE_WIRE","expires_in":7200}""")
{
    private const string Token = "ACCESS_TOKEN_ON_THE_WIRE";

    private WeChatApiClient WeChat => Client<WeChatApiClient>();

    private WeComApiClient WeCom => Client<WeComApiClient>();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Stable_token_is_a_json_post_with_a_content_length_and_the_exact_body(bool forceRefresh)
    {
        await WeChat.GetStableAccessTokenAsync(SandboxDefaults.AppId, SandboxDefaults.AppSecret, forceRefresh, CancellationToken.None);

        var request = Wire.Single();
        Assert.Empty(request.QueryKeys);
        // Compared as exact text, without printing the secret when it differs.
        var expected = $$"""{"grant_type":"client_credential","appid":"{{SandboxDefaults.AppId}}","secret":"{{SandboxDefaults.AppSecret}}","force_refresh":{{(forceRefresh ? "true" : "false")}}}""";
        AssertJsonPost(request, "/cgi-bin/stable_token", expected, holdsSecret: true);
    }

    [Fact]
    public async Task Classic_token_is_a_get_with_no_body()
    {
        await WeChat.GetAccessTokenAsync(SandboxDefaults.AppId, SandboxDefaults.AppSecret, CancellationToken.None);

        var request = Wire.Single();
        AssertGet(request, "/cgi-bin/token", "grant_type", "appid", "secret");
        Assert.Equal("client_credential", request.QueryValue("grant_type"));
        Assert.Equal(SandboxDefaults.AppId, request.QueryValue("appid"));
    }

    [Theory]
    [InlineData("jsapi")]
    [InlineData("wx_card")]
    public async Task Getticket_is_a_get_with_the_token_and_the_type(string type)
    {
        if (type == "jsapi")
            await WeChat.GetJsapiTicketAsync(Token, CancellationToken.None);
        else
            await WeChat.GetCardTicketAsync(Token, CancellationToken.None);

        var request = Wire.Single();
        AssertGet(request, "/cgi-bin/ticket/getticket", "access_token", "type");
        Assert.Equal(type, request.QueryValue("type"));
    }

    [Fact]
    public async Task Getcallbackip_is_a_get_with_the_token_only_and_errcode_0_means_the_token_works()
    {
        Assert.True(await WeChat.AcceptsAccessTokenAsync(Token, CancellationToken.None));

        var request = Wire.Single();
        AssertGet(request, "/cgi-bin/getcallbackip", "access_token");
        Assert.Equal(Token, request.QueryValue("access_token"));
    }

    [Fact]
    public async Task WeCom_gettoken_is_a_get_with_corpid_and_corpsecret()
    {
        await WeCom.GetAccessTokenAsync("ww5a4d5b0c1e2f3a4b", "corp-secret-not-shown", CancellationToken.None);

        var request = Wire.Single();
        AssertGet(request, "/cgi-bin/gettoken", "corpid", "corpsecret");
        Assert.Equal("ww5a4d5b0c1e2f3a4b", request.QueryValue("corpid"));
    }

    [Fact]
    public async Task WeCom_corp_ticket_is_get_jsapi_ticket_with_the_token()
    {
        await WeCom.GetCorpTicketAsync(Token, CancellationToken.None);

        var request = Wire.Single();
        AssertGet(request, "/cgi-bin/get_jsapi_ticket", "access_token");
    }

    [Fact]
    public async Task WeCom_agent_ticket_is_ticket_get_of_type_agent_config()
    {
        await WeCom.GetAgentTicketAsync(Token, CancellationToken.None);

        var request = Wire.Single();
        AssertGet(request, "/cgi-bin/ticket/get", "access_token", "type");
        Assert.Equal("agent_config", request.QueryValue("type"));
    }
}
