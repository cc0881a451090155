using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WxShare.WeChatDiagnostics;

/// <summary>
/// Masks secrets in what WeChat saw of a call (rid/get): by key name in JSON bodies and query strings (a token call's
/// body holds the AppSecret, a URL holds access_token, an answer the new token or ticket), and every occurrence of the
/// values WxShare knows to be secret, whatever carries them.
/// </summary>
public sealed partial class SecretMasker
{
    public const string Mask = "***";

    /// <summary>Values shorter than this are not searched for: too likely to match innocent text.</summary>
    private const int ShortestKnownValue = 8;

    private static readonly HashSet<string> SecretNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "secret", "appsecret", "access_token", "refresh_token", "ticket", "token", "corpsecret", "encodingaeskey", "aeskey",
        "session_key", "pre_auth_code", "auth_code", "code", "sign", "signature", "password",
    };

    private static readonly JsonSerializerOptions Output = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly string[] _known;

    /// <param name="knownSecrets">The account's AppSecret, stored tokens and tickets: masked wherever they appear.</param>
    public SecretMasker(IEnumerable<string?> knownSecrets) =>
        // Longest first, so that a value containing another is masked whole.
        _known = knownSecrets.OfType<string>().Where(v => v.Length >= ShortestKnownValue).Distinct().OrderByDescending(v => v.Length).ToArray();

    /// <summary>A name that holds a secret: one of the known names, or one ending in secret, _token or ticket (component_access_token, jsapi_ticket…).</summary>
    public static bool IsSecretName(string name) =>
        SecretNames.Contains(name)
        || name.EndsWith("secret", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith("_token", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith("ticket", StringComparison.OrdinalIgnoreCase);

    /// <summary>A URL, a JSON body or a form body, masked.</summary>
    public string? MaskText(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return text;
        var masked = MaskJson(text) ?? MaskQuery(text);
        foreach (var value in _known)
            masked = masked.Replace(value, Mask, StringComparison.Ordinal)
                .Replace(Uri.EscapeDataString(value), Mask, StringComparison.Ordinal);
        return masked;
    }

    private static string? MaskJson(string text)
    {
        var trimmed = text.TrimStart();
        if (!(trimmed.StartsWith('{') || trimmed.StartsWith('[')))
            return null;
        try
        {
            var node = JsonNode.Parse(text);
            MaskNode(node);
            return node?.ToJsonString(Output) ?? text;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void MaskNode(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject json:
                foreach (var name in json.Select(p => p.Key).ToArray())
                {
                    if (IsSecretName(name) && json[name] is not null)
                        json[name] = Mask;
                    else
                        MaskNode(json[name]);
                }
                break;
            case JsonArray array:
                foreach (var item in array.ToArray())
                    MaskNode(item);
                break;
            case JsonValue value when value.TryGetValue<string>(out var text) && text.Contains('='):
                // A URL or form inside a JSON string.
                var masked = MaskQuery(text);
                if (masked != text)
                    value.ReplaceWith(JsonValue.Create(masked));
                break;
        }
    }

    /// <summary>Each <c>name=value</c> of a query string or form whose name holds a secret.</summary>
    private static string MaskQuery(string text) =>
        QueryPair().Replace(text, m => IsSecretName(Uri.UnescapeDataString(m.Groups["name"].Value)) ? $"{m.Groups["name"].Value}={Mask}" : m.Value);

    [GeneratedRegex(@"(?<=^|[?&;\s])(?<name>[^=&?#;\s]+)=(?<value>[^&#;\s]*)")]
    private static partial Regex QueryPair();
}
