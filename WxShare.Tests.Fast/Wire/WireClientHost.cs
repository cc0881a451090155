using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WxShare.Functions.Tests.Infrastructure;

namespace WxShare.Functions.Tests.Wire;

/// <summary>
/// The client-under-test fixture every wire contract test class shares: WxShare's real services (named clients,
/// resilience, the shared send path) with WeChat's, WeCom's and the Open Platform's address pointed at a
/// <see cref="RawHttpCapture"/>, and the framing assertions each call is held to. A test class gives only the answer
/// its calls read, and its cases.
/// </summary>
public abstract class WireClientHost : IAsyncLifetime
{
    private IHost _host = null!;

    /// <param name="answer">The JSON body the capture answers each request with.</param>
    private protected WireClientHost(Func<CapturedRequest, string> answer) => Wire = new RawHttpCapture(answer);

    /// <summary>What the clients sent, byte for byte.</summary>
    internal RawHttpCapture Wire { get; }

    public Task InitializeAsync()
    {
        // The Open Platform answers at WeChat's host, so WeChat's address serves its component calls too.
        var settings = TestSettings.For("UseDevelopmentStorage=true", "WxShareCredentials", Wire.BaseAddress);
        settings["WeCom:ApiBaseUrl"] = Wire.BaseAddress.ToString();
        _host = ServicesOnlyHost.Build(settings);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await Wire.DisposeAsync();
    }

    /// <summary>The client under test, as the hosts resolve it.</summary>
    private protected TClient Client<TClient>() where TClient : notnull => _host.Services.GetRequiredService<TClient>();

    /// <summary>A JSON POST to <paramref name="path"/> framed by its length, whose body is exactly <paramref name="expectedBody"/>.</summary>
    /// <param name="holdsSecret">The body holds an AppSecret or a component secret: a mismatch is reported without printing either body.</param>
    internal static void AssertJsonPost(CapturedRequest request, string path, string expectedBody, bool holdsSecret = false)
    {
        Assert.Equal("POST", request.Method);
        Assert.Equal(path, request.Path);
        AssertFramedByLength(request);
        Assert.Equal("application/json", request.Header("Content-Type")?.Split(';')[0].Trim());
        if (holdsSecret)
            Assert.True(expectedBody == request.BodyText, $"The {path} body is not the exact JSON documented (not shown: it holds a secret).");
        else
            Assert.Equal(expectedBody, request.BodyText);
    }

    /// <summary>A GET to <paramref name="path"/> with exactly these query keys, in this order, and no body.</summary>
    internal static void AssertGet(CapturedRequest request, string path, params string[] queryKeys)
    {
        Assert.Equal("GET", request.Method);
        Assert.Equal(path, request.Path);
        Assert.Equal(queryKeys, request.QueryKeys);
        AssertNoBody(request);
    }

    /// <summary>A body WeChat accepts: a Content-Length equal to the bytes that followed the head, no chunking.</summary>
    internal static void AssertFramedByLength(CapturedRequest request)
    {
        Assert.Null(request.Header("Transfer-Encoding"));
        var length = request.Header("Content-Length");
        Assert.NotNull(length);
        Assert.Equal(request.RawBody.Length, int.Parse(length));
        Assert.True(request.RawBody.Length > 0, "A POST to WeChat carries a body.");
        using var _ = JsonDocument.Parse(request.Body);
    }

    internal static void AssertNoBody(CapturedRequest request)
    {
        Assert.Null(request.Header("Transfer-Encoding"));
        Assert.True(request.Header("Content-Length") is null or "0");
        Assert.Empty(request.RawBody);
    }
}
