using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace WxShare.Page;

/// <summary>A file embedded in WxShare.Core, with the headers it is served with. Its ETag is its content hash.</summary>
public sealed class PageAsset
{
    private PageAsset(string name, byte[] content, string contentType, string cacheControl, bool crossOrigin)
    {
        Name = name;
        Content = content;
        ContentType = contentType;
        CacheControl = cacheControl;
        CrossOrigin = crossOrigin;
        ETag = new EntityTagHeaderValue("\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..32] + "\"");
    }

    public string Name { get; }
    public byte[] Content { get; }
    public string ContentType { get; }
    public string CacheControl { get; }
    public EntityTagHeaderValue ETag { get; }

    /// <summary>Scripts are public files that pages on any origin may load, also as ES modules (which need CORS).</summary>
    public bool CrossOrigin { get; }

    public static PageAsset Load(string name, string contentType, string cacheControl, bool crossOrigin)
    {
        using var stream = typeof(PageAsset).Assembly.GetManifestResourceStream("WxShare.Page." + name)
            ?? throw new InvalidOperationException($"The embedded resource WxShare.Page.{name} is missing from WxShare.Core.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return new PageAsset(name, buffer.ToArray(), contentType, cacheControl, crossOrigin);
    }
}
