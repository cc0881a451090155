using Microsoft.Extensions.DependencyInjection;
using WxShare.Accounts;
using WxShare.Errors;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Refresh;
using WxShare.Storage;
using WxShare.WeChat;

namespace WxShare.Functions.Tests.Refresh;

/// <summary>
/// A kind of account is one <see cref="ICredentialIssuer"/>: plugged in, it gets the engine's plan, lease, rejected-token
/// retry, hold-back and storing without a line of its own for them. The issuer here replaces the official accounts' one.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CredentialIssuerTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task An_issuer_plugged_in_gets_the_engines_rejected_token_retry_and_storage()
    {
        var issuer = new CountingIssuer { RejectFirstTicketCall = true };
        await using var context = await StartAsync(issuer);
        issuer.Time = context.Time;

        Assert.Equal(RefreshResult.Refreshed, await context.TickAsync());

        var stored = await context.StoredAsync();
        Assert.Equal("token-2", stored.AccessToken!.Value); // the first was rejected by the ticket call: a new one, one retry
        Assert.Equal("ticket-2", stored.JsapiTicket!.Value);
        Assert.Null(stored.Lease);
        Assert.Null(stored.LastFailure);
        Assert.Equal((2, 2), (issuer.TokenCalls, issuer.TicketCalls));
        Assert.Equal(0, context.Sandbox.State.Calls.Total);

        Assert.Equal(RefreshResult.NotDue, await context.TickAsync());
        Assert.Equal((2, 2), (issuer.TokenCalls, issuer.TicketCalls));
    }

    [Fact]
    public async Task A_call_the_issuer_holds_back_waits_until_its_limit_allows_it()
    {
        var issuer = new CountingIssuer();
        await using var context = await StartAsync(issuer);
        issuer.Time = context.Time;
        var allowedFrom = context.Time.GetUtcNow().AddMinutes(10);
        issuer.HeldBackUntil = allowedFrom;

        Assert.Equal(RefreshResult.BackingOff, await context.TickAsync());
        var stored = await context.StoredAsync();
        Assert.Equal(allowedFrom, stored.RetryNotBefore);
        Assert.Equal("held back for the test", stored.LastFailure?.Message);
        Assert.Equal((0, 0), (issuer.TokenCalls, issuer.TicketCalls));

        context.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(RefreshResult.BackingOff, await context.TickAsync());
        context.Time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(RefreshResult.Refreshed, await context.TickAsync());
        Assert.Equal((1, 1), (issuer.TokenCalls, issuer.TicketCalls));
    }

    private Task<WxShareTestContext> StartAsync(CountingIssuer issuer) =>
        WxShareTestContext.StartAsync(azurite, replaceServices: services =>
        {
            services.Remove(services.Single(d => d.ImplementationType == typeof(OfficialAccountIssuer)));
            services.AddSingleton<ICredentialIssuer>(issuer);
        });

    private sealed class CountingIssuer : ICredentialIssuer
    {
        public TimeProvider Time { get; set; } = TimeProvider.System;
        public bool RejectFirstTicketCall { get; init; }
        public DateTimeOffset? HeldBackUntil { get; set; }
        public int TokenCalls { get; private set; }
        public int TicketCalls { get; private set; }

        public bool Issues(Account account) => account.Kind == AccountKind.Mp;
        public IReadOnlyList<ApiCall> Tickets(Account account) => [ApiCall.JsapiTicket];
        public bool TokenIsStable(Account account) => false;

        public Task<IssuedCredential> GetAccessTokenAsync(Account account, CredentialRecord stored, bool force, CancellationToken cancellationToken) =>
            Task.FromResult(Issue("token", ++TokenCalls));

        public Task<IssuedCredential> GetTicketAsync(Account account, ApiCall ticket, string accessToken, CancellationToken cancellationToken)
        {
            if (++TicketCalls == 1 && RejectFirstTicketCall)
                throw new ApiCallException(ticket, 40001, "invalid credential", kind: ApiErrorKind.TokenRejected);
            return Task.FromResult(Issue("ticket", TicketCalls));
        }

        public Task<bool?> AcceptsAccessTokenAsync(Account account, string accessToken, CancellationToken cancellationToken) =>
            Task.FromResult<bool?>(null);

        public Task ReserveTicketCallsAsync(Account account, IReadOnlyCollection<ApiCall> tickets, CancellationToken cancellationToken) =>
            HeldBackUntil is { } until && Time.GetUtcNow() < until
                ? throw new RefreshHeldBackException(tickets.First(), until, "held back for the test")
                : Task.CompletedTask;

        public ApiErrorKind Classify(ApiCall call, int? errorCode) => WeChatErrorClassifier.Classify(call, errorCode);

        private IssuedCredential Issue(string what, int n) => new($"{what}-{n}", Time.GetUtcNow(), Time.GetUtcNow().AddHours(2));
    }
}
