using WxShare.Errors;
using WxShare.Functions.Tests.EndToEnd;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Functions.Tests.Refresh;
using WxShare.Refresh;
using WxShare.WeChat;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Sandbox;

/// <summary>WxShare's own client against the strict sandbox (StrictWireTests): every rule WeChat enforces, it survives.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StrictSandboxClientTests(AzuriteFixture azurite)
{
    private const string Page = "https://m.example.com/article/2026?from=singlemessage";

    /// <summary>Done-when of issue 16: the default (stable-token) account refreshes and signs against a 412-answering WeChat.</summary>
    [Fact]
    public async Task The_default_stable_token_account_refreshes_and_signs_where_a_chunked_post_gets_412()
    {
        await using var host = await StandaloneHost.StartAsync(azurite, sandbox => sandbox.IdleConnectionDropAfter = TimeSpan.Zero);

        var response = await host.WaitForConfigAsync(Page);

        await response.AssertSignedConfigAsync(Page, host.Sandbox.State);
        // A stable_token POST that reached the endpoint passed the framing rule (a 412 is answered before it is counted).
        Assert.Equal(new SandboxCallCounts(Token: 0, StableToken: 1, Ticket: 1), host.Sandbox.State.Calls);
    }

    [Fact]
    public async Task An_errcode_labelled_text_plain_is_read_as_WeChats_errcode()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite);

        var failure = await Assert.ThrowsAsync<ApiCallException>(() =>
            context.Get<WeChatApiClient>().GetJsapiTicketAsync("not-a-token", CancellationToken.None));

        Assert.Equal(40001, failure.ErrorCode);
        Assert.StartsWith("invalid credential, access_token is invalid or not latest", failure.ErrorMessage);
    }

    [Theory]
    [InlineData("stable")]
    [InlineData("classic")]
    public async Task A_pooled_connection_the_sandbox_dropped_while_idle_costs_the_refresh_nothing(string tokenApi)
    {
        await using var context = await WxShareTestContext.StartAsync(azurite, settings => settings["WeChat:TokenApi"] = tokenApi);
        Assert.Equal(RefreshResult.Refreshed, await context.TickAsync());
        // From now on every reused keep-alive connection is reset when the next request arrives on it.
        context.Sandbox.State.IdleConnectionDropAfter = TimeSpan.Zero;

        context.Time.Advance(TimeSpan.FromHours(2));
        var result = await context.TickAsync();

        Assert.Equal(RefreshResult.Refreshed, result);
        Assert.True(context.Sandbox.State.DroppedConnections >= 1, "the sandbox dropped no connection: the test proves nothing");
        var stored = await context.StoredAsync();
        Assert.True(context.Sandbox.State.IsTicketValid(SandboxDefaults.AppId, stored.JsapiTicket!.Value));
    }

    [Fact]
    public async Task A_forced_stable_token_refresh_on_a_dropped_connection_fails_and_is_not_sent_again()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite);
        var client = context.Get<WeChatApiClient>();
        await client.GetStableAccessTokenAsync(SandboxDefaults.AppId, SandboxDefaults.AppSecret, forceRefresh: false, CancellationToken.None);
        context.Sandbox.State.IdleConnectionDropAfter = TimeSpan.Zero;
        var before = context.Sandbox.State.Calls.StableToken;

        await Assert.ThrowsAsync<ApiCallException>(() =>
            client.GetStableAccessTokenAsync(SandboxDefaults.AppId, SandboxDefaults.AppSecret, forceRefresh: true, CancellationToken.None));

        // Dropped once, and never resent on a fresh connection: a forced refresh counts against 20 a day even when lost.
        Assert.Equal(1, context.Sandbox.State.DroppedConnections);
        Assert.Equal(before, context.Sandbox.State.Calls.StableToken);
    }

    [Theory]
    [InlineData(nameof(WeChatApiClient))]
    [InlineData(nameof(WxShare.WeCom.WeComApiClient))]
    public async Task Pooled_connections_live_at_most_30_seconds_idle(string client)
    {
        await using var context = await WxShareTestContext.StartAsync(azurite);

        HttpMessageHandler? handler = context.Get<IHttpMessageHandlerFactory>().CreateHandler(client);
        while (handler is DelegatingHandler delegating)
            handler = delegating.InnerHandler;

        Assert.Equal(TimeSpan.FromSeconds(30), Assert.IsType<SocketsHttpHandler>(handler).PooledConnectionIdleTimeout);
    }
}
