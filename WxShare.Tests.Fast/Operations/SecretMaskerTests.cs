using WxShare.WeChatDiagnostics;

namespace WxShare.Functions.Tests.Operations;

/// <summary>The rid route's masking, each of its two layers alone: secrets by key name, and known values wherever they are.</summary>
public sealed class SecretMaskerTests
{
    private static readonly SecretMasker NothingKnown = new([]);

    [Fact]
    public void Json_bodies_lose_every_secret_by_name_nested_or_not_and_keep_the_rest()
    {
        var masked = NothingKnown.MaskText(
            """{"grant_type":"client_credential","appid":"wx1","secret":"s3cr3t-unknown","nested":{"component_access_token":"tok1","list":[{"jsapi_ticket":"t1"}]},"errcode":0}""");

        Assert.Equal(
            """{"grant_type":"client_credential","appid":"wx1","secret":"***","nested":{"component_access_token":"***","list":[{"jsapi_ticket":"***"}]},"errcode":0}""",
            masked);
    }

    [Theory]
    [InlineData("/cgi-bin/token?grant_type=client_credential&appid=wx1&secret=abc", "/cgi-bin/token?grant_type=client_credential&appid=wx1&secret=***")]
    [InlineData("https://api.weixin.qq.com/cgi-bin/ticket/getticket?access_token=A%2BB&type=jsapi", "https://api.weixin.qq.com/cgi-bin/ticket/getticket?access_token=***&type=jsapi")]
    [InlineData("appid=wx1&appsecret=abc", "appid=wx1&appsecret=***")]
    [InlineData("/cgi-bin/clear_quota?access_token=x&APPSECRET=y", "/cgi-bin/clear_quota?access_token=***&APPSECRET=***")]
    public void Query_strings_and_forms_lose_every_secret_by_name(string text, string expected) =>
        Assert.Equal(expected, NothingKnown.MaskText(text));

    [Fact]
    public void A_url_inside_a_json_string_is_masked_too() =>
        Assert.Equal("""{"url":"/x?access_token=***&a=1"}""", NothingKnown.MaskText("""{"url":"/x?access_token=tok&a=1"}"""));

    [Fact]
    public void Known_values_are_masked_wherever_they_are_plain_or_percent_encoded()
    {
        var masker = new SecretMasker(["KNOWN+TOKEN/VALUE=", "short", null]);

        Assert.Equal("error for *** (*** in a url), short stays",
            masker.MaskText("error for KNOWN+TOKEN/VALUE= (KNOWN%2BTOKEN%2FVALUE%3D in a url), short stays"));
        Assert.Equal("""{"note":"see ***"}""", masker.MaskText("""{"note":"see KNOWN+TOKEN/VALUE="}"""));
    }

    [Fact]
    public void Malformed_json_is_masked_as_text()
    {
        var masker = new SecretMasker(["THE-APP-SECRET-VALUE"]);

        Assert.Equal("""{"secret":"***" ... truncated""", masker.MaskText("""{"secret":"THE-APP-SECRET-VALUE" ... truncated"""));
    }
}
