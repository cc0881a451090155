using WxShare.WeChat;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Wire;

/// <summary>WeChat's diagnostic calls on the wire (quota/get, rid/get, clear_quota/v2): JSON POSTs framed by a Content-Length, exact bodies.</summary>
public sealed class DiagnosticsWireContractTests() : WireClientHost(request => request.Path switch
{
    "/cgi-bin/openapi/quota/get" => """{"errcode":0,"errmsg":"ok","quota":{"daily_limit":10000,"used":3,"remain":9997},"rate_limit":{"call_count":10000,"refresh_second":60}}""",
    "/cgi-bin/openapi/rid/get" => """{"errcode":0,"errmsg":"ok","request":{"invoke_time":1764554400,"cost_in_ms":12,"request_url":"/cgi-bin/token","request_body":"","response_body":"{}","client_ip":"1.2.3.4"}}""",
    _ => """{"errcode":0,"errmsg":"ok"}""",
})
{
    private const string Token = "ACCESS_TOKEN_ON_THE_WIRE";

    private WeChatApiClient WeChat => Client<WeChatApiClient>();

    [Fact]
    public async Task Quota_get_is_a_json_post_with_the_token_in_the_query_and_the_cgi_path_in_the_body()
    {
        var answer = await WeChat.GetQuotaAsync(Token, "/cgi-bin/stable_token", CancellationToken.None);

        var request = Wire.Single();
        AssertJsonPost(request, "/cgi-bin/openapi/quota/get", """{"cgi_path":"/cgi-bin/stable_token"}""");
        Assert.Equal(["access_token"], request.QueryKeys);
        Assert.Equal(Token, request.QueryValue("access_token"));
        Assert.Equal(new QuotaFigures(10_000, 3, 9_997), answer.Quota);
    }

    [Fact]
    public async Task Rid_get_is_a_json_post_with_the_token_in_the_query_and_the_rid_in_the_body()
    {
        var answer = await WeChat.GetRidAsync(Token, "6650a1c2-3b4d5e6f-7a8b9c0d", CancellationToken.None);

        var request = Wire.Single();
        AssertJsonPost(request, "/cgi-bin/openapi/rid/get", """{"rid":"6650a1c2-3b4d5e6f-7a8b9c0d"}""");
        Assert.Equal(["access_token"], request.QueryKeys);
        Assert.Equal(("1.2.3.4", 12L), (answer.Request!.ClientIp, answer.Request.CostInMs));
    }

    [Fact]
    public async Task Clear_quota_v2_is_a_json_post_with_appid_and_appsecret_in_the_body_and_nothing_in_the_query()
    {
        await WeChat.ClearQuotaAsync(SandboxDefaults.AppId, SandboxDefaults.AppSecret, CancellationToken.None);

        var request = Wire.Single();
        Assert.Empty(request.QueryKeys);
        var expected = $$"""{"appid":"{{SandboxDefaults.AppId}}","appsecret":"{{SandboxDefaults.AppSecret}}"}""";
        AssertJsonPost(request, "/cgi-bin/clear_quota/v2", expected, holdsSecret: true);
    }
}
