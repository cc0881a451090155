using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Sandbox;

/// <summary>A started sandbox on a fake clock plus an HttpClient talking real HTTP to it.</summary>
internal sealed class SandboxHarness : IAsyncDisposable
{
    /// <summary>10:00 in Beijing, far from the quota-day boundary.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2025, 6, 1, 2, 0, 0, TimeSpan.Zero);

    private SandboxHarness(WeChatSandboxServer server, FakeTimeProvider time)
    {
        Server = server;
        Time = time;
        Http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
    }

    public WeChatSandboxServer Server { get; }

    public WeChatSandboxState State => Server.State;

    public FakeTimeProvider Time { get; }

    public HttpClient Http { get; }

    public static async Task<SandboxHarness> StartAsync(SandboxOptions? options = null, DateTimeOffset? start = null)
    {
        var time = new FakeTimeProvider(start ?? DefaultStart);
        return new SandboxHarness(await WeChatSandboxServer.StartAsync(options, time), time);
    }

    public Task<WeChatReply> GetTokenAsync(
        string appId = SandboxDefaults.AppId,
        string secret = SandboxDefaults.AppSecret,
        string grantType = "client_credential") =>
        SendAsync(HttpMethod.Get, $"cgi-bin/token?grant_type={grantType}&appid={appId}&secret={secret}");

    public Task<WeChatReply> PostStableTokenAsync(
        bool forceRefresh = false,
        string appId = SandboxDefaults.AppId,
        string secret = SandboxDefaults.AppSecret,
        string grantType = "client_credential") =>
        PostStableTokenRawAsync(JsonSerializer.Serialize(new { grant_type = grantType, appid = appId, secret, force_refresh = forceRefresh }));

    public Task<WeChatReply> PostStableTokenRawAsync(string body) =>
        SendAsync(HttpMethod.Post, "cgi-bin/stable_token", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

    public Task<WeChatReply> GetTicketAsync(string? accessToken, string? type = "jsapi")
    {
        var query = new List<string>();
        if (accessToken is not null)
            query.Add($"access_token={Uri.EscapeDataString(accessToken)}");
        if (type is not null)
            query.Add($"type={type}");
        return SendAsync(HttpMethod.Get, "cgi-bin/ticket/getticket?" + string.Join('&', query));
    }

    /// <summary>A fresh classic token, failing the test if the sandbox does not give one.</summary>
    public async Task<string> NewClassicTokenAsync()
    {
        var reply = await GetTokenAsync();
        return reply.AccessToken ?? throw new InvalidOperationException($"No token: {reply.Body}");
    }

    public async Task<WeChatReply> SendAsync(HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await Http.SendAsync(request);
        return new WeChatReply(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
