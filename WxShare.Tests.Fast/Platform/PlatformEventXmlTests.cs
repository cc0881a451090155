using System.Text;
using WxShare.Platform;

namespace WxShare.Functions.Tests.Platform;

/// <summary>Both layers of a push read safely: no DTD, no external entity, a size bound; the event model by InfoType.</summary>
public sealed class PlatformEventXmlTests
{
    [Fact]
    public void The_envelope_yields_its_Encrypt()
    {
        var body = "<xml><AppId><![CDATA[wxc0e1a2b3c4d5e6f7]]></AppId><Encrypt><![CDATA[abc+/=]]></Encrypt></xml>"u8.ToArray();

        Assert.Equal("abc+/=", PlatformEventXml.ReadEncrypt(body));
    }

    public static TheoryData<string, string> Hostile => new()
    {
        { "entity expansion", """<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><xml><Encrypt>&b;</Encrypt></xml>""" },
        { "external entity", """<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><Encrypt>&x;</Encrypt></xml>""" },
        { "not xml", "{\"Encrypt\":\"abc\"}" },
        { "unclosed", "<xml><Encrypt>abc</Encrypt>" },
        { "another root", "<root><Encrypt>abc</Encrypt></root>" },
        { "no Encrypt", "<xml><AppId>wx</AppId></xml>" },
        { "empty Encrypt", "<xml><Encrypt></Encrypt></xml>" },
        { "over 64 KiB", "<xml><Encrypt>" + new string('a', 70_000) + "</Encrypt></xml>" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void A_body_that_is_not_a_plain_envelope_is_no_envelope(string why, string body) =>
        Assert.True(PlatformEventXml.ReadEncrypt(Encoding.UTF8.GetBytes(body)) is null, why);

    [Fact]
    public void A_verify_ticket_push_is_read_with_its_time()
    {
        var pushed = PlatformEventXml.ReadEvent(
            "<xml><AppId>wxc0e1a2b3c4d5e6f7</AppId><CreateTime>1413192605</CreateTime><InfoType>component_verify_ticket</InfoType>"
            + "<ComponentVerifyTicket>ticket@@@abc</ComponentVerifyTicket></xml>");

        var ticket = Assert.IsType<ComponentVerifyTicketEvent>(pushed);
        Assert.Equal("wxc0e1a2b3c4d5e6f7", ticket.ComponentAppId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1413192605), ticket.CreatedAt);
        Assert.Equal("ticket@@@abc", ticket.Ticket);
        Assert.DoesNotContain("ticket@@@abc", ticket.ToString());
    }

    [Theory]
    [InlineData("authorized", false)]
    [InlineData("updateauthorized", true)]
    public void An_authorization_push_is_read_with_its_code(string infoType, bool isUpdate)
    {
        var pushed = PlatformEventXml.ReadEvent(
            $"<xml><AppId>wxc0e1a2b3c4d5e6f7</AppId><CreateTime>1413192760</CreateTime><InfoType>{infoType}</InfoType>"
            + "<AuthorizerAppid>wxaaaabbbbccccdddd</AuthorizerAppid><AuthorizationCode>queryauthcode@@@xyz</AuthorizationCode>"
            + "<AuthorizationCodeExpiredTime>1413196360</AuthorizationCodeExpiredTime><PreAuthCode>preauthcode@@@pre</PreAuthCode></xml>");

        var authorized = Assert.IsType<AuthorizedEvent>(pushed);
        Assert.Equal(isUpdate, authorized.IsUpdate);
        Assert.Equal("wxaaaabbbbccccdddd", authorized.AuthorizerAppId);
        Assert.Equal("queryauthcode@@@xyz", authorized.AuthorizationCode);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1413196360), authorized.AuthorizationCodeExpiresAt);
        Assert.Equal("preauthcode@@@pre", authorized.PreAuthCode);
        Assert.DoesNotContain("queryauthcode", authorized.ToString());
    }

    [Fact]
    public void An_unauthorized_push_names_the_account()
    {
        var pushed = PlatformEventXml.ReadEvent(
            "<xml><AppId>wxc0e1a2b3c4d5e6f7</AppId><CreateTime>1413192760</CreateTime><InfoType>unauthorized</InfoType>"
            + "<AuthorizerAppid>wxaaaabbbbccccdddd</AuthorizerAppid></xml>");

        Assert.Equal("wxaaaabbbbccccdddd", Assert.IsType<UnauthorizedEvent>(pushed).AuthorizerAppId);
    }

    [Theory]
    [InlineData("<xml><AppId>wx</AppId><InfoType>component_verify_ticket</InfoType><ComponentVerifyTicket>t</ComponentVerifyTicket></xml>")]
    [InlineData("<xml><AppId>wx</AppId><CreateTime>soon</CreateTime><InfoType>component_verify_ticket</InfoType><ComponentVerifyTicket>t</ComponentVerifyTicket></xml>")]
    [InlineData("<xml><AppId>wx</AppId><CreateTime>1</CreateTime><InfoType>component_verify_ticket</InfoType></xml>")]
    [InlineData("<xml><AppId>wx</AppId><CreateTime>1</CreateTime><InfoType>authorized</InfoType><AuthorizerAppid>wxa</AuthorizerAppid></xml>")]
    [InlineData("<xml><CreateTime>1</CreateTime><InfoType>unauthorized</InfoType><AuthorizerAppid>wxa</AuthorizerAppid></xml>")]
    [InlineData("<!DOCTYPE xml><xml><AppId>wx</AppId><CreateTime>1</CreateTime><InfoType>unauthorized</InfoType><AuthorizerAppid>wxa</AuthorizerAppid></xml>")]
    public void A_message_missing_what_its_InfoType_needs_is_no_event(string message) =>
        Assert.Null(PlatformEventXml.ReadEvent(message));

    [Fact]
    public void Another_InfoType_is_read_but_carries_nothing_to_store() =>
        Assert.Equal("notify_third_fasteregister", Assert.IsType<OtherPlatformEvent>(PlatformEventXml.ReadEvent(
            "<xml><AppId>wx</AppId><CreateTime>1</CreateTime><InfoType>notify_third_fasteregister</InfoType></xml>")).InfoType);
}
