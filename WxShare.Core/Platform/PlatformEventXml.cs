using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace WxShare.Platform;

/// <summary>
/// Reads both layers of a push: the envelope <c>&lt;xml&gt;&lt;AppId/&gt;&lt;Encrypt/&gt;&lt;/xml&gt;</c> and the decrypted
/// message. No DTD (so no entity expansion), no resolver (so no external entity), at most 64 KiB of characters:
/// anything else is <see cref="PlatformEventRejection.MalformedXml"/>, never an exception.
/// </summary>
public static class PlatformEventXml
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = PlatformEventReceiver.MaxBodyBytes,
        MaxCharactersFromEntities = 0,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = true,
    };

    /// <returns>The Encrypt element's text, or null when the body is not an envelope with one.</returns>
    public static string? ReadEncrypt(ReadOnlyMemory<byte> body)
    {
        var fields = ReadFields(new MemoryStream(body.ToArray(), writable: false));
        return fields?.GetValueOrDefault("Encrypt") is { Length: > 0 } encrypt ? encrypt : null;
    }

    /// <returns>The event, or null when the message is not one WeChat sends (missing AppId, InfoType or CreateTime, or a field its InfoType needs).</returns>
    public static PlatformEvent? ReadEvent(string message)
    {
        if (ReadFields(new StringReader(message)) is not { } fields
            || Field(fields, "AppId") is not { } componentAppId
            || Field(fields, "InfoType") is not { } infoType
            || EpochSeconds(Field(fields, "CreateTime")) is not { } createdAt)
            return null;

        return infoType switch
        {
            "component_verify_ticket" => Field(fields, "ComponentVerifyTicket") is { } ticket
                ? new ComponentVerifyTicketEvent(componentAppId, createdAt, ticket)
                : null,
            "authorized" or "updateauthorized" => Field(fields, "AuthorizerAppid") is { } appId && Field(fields, "AuthorizationCode") is { } code
                ? new AuthorizedEvent(componentAppId, createdAt, appId, code, EpochSeconds(Field(fields, "AuthorizationCodeExpiredTime")),
                    Field(fields, "PreAuthCode"), IsUpdate: infoType == "updateauthorized")
                : null,
            "unauthorized" => Field(fields, "AuthorizerAppid") is { } appId
                ? new UnauthorizedEvent(componentAppId, createdAt, appId)
                : null,
            _ => new OtherPlatformEvent(componentAppId, createdAt, infoType),
        };
    }

    private static string? Field(IReadOnlyDictionary<string, string> fields, string name) =>
        fields.GetValueOrDefault(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static DateTimeOffset? EpochSeconds(string? value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    /// <summary>The root <c>xml</c> element's children by name (the first of each), or null for anything else.</summary>
    private static Dictionary<string, string>? ReadFields(object input)
    {
        try
        {
            using var reader = input switch
            {
                Stream stream => XmlReader.Create(stream, Settings),
                TextReader text => XmlReader.Create(text, Settings),
                _ => throw new ArgumentException("A stream or a text reader.", nameof(input)),
            };
            var root = XDocument.Load(reader).Root;
            if (root is null || root.Name != "xml")
                return null;
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var element in root.Elements())
                fields.TryAdd(element.Name.LocalName, element.Value);
            return fields;
        }
        catch (XmlException)
        {
            return null;
        }
    }
}
