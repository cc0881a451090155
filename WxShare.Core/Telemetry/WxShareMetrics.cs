using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using WxShare.Accounts;
using WxShare.Storage;

namespace WxShare.Telemetry;

/// <summary>
/// Every WxShare instrument, on one meter named <c>WxShare</c>. Values are this process's own: several instances
/// (or a scaled-out Functions app) each report theirs, so sum them where they are exported.
/// </summary>
public sealed class WxShareMetrics
{
    public const string MeterName = "WxShare";
    private static readonly TimeSpan BeijingOffset = TimeSpan.FromHours(8);

    /// <summary>
    /// WeChat's daily quota per endpoint (facts file); the ticket's is not published, about 10,000 is observed. WeCom's
    /// endpoints have none: its ticket limits are per hour, per corp and app, and <see cref="WeCom.WeComTicketBudget"/> keeps them.
    /// </summary>
    private static readonly Dictionary<string, long> DailyQuotas = new()
    {
        [WeChatEndpoints.Token] = 2_000,
        [WeChatEndpoints.StableToken] = 500_000,
        [WeChatEndpoints.Ticket] = 10_000,
    };

    private readonly Counter<long> _signingRequests;
    private readonly Counter<long> _refreshes;
    private readonly Counter<long> _weChatCalls;
    private readonly Counter<long> _fieldReports;
    private readonly AccountRegistry _accounts;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string StorageKey, string Credential), DateTimeOffset> _expiries = new();
    private readonly ConcurrentDictionary<(string StorageKey, string CgiPath), long> _quotaRemaining = new();
    private readonly Lock _todayLock = new();
    private readonly Dictionary<string, long> _callsToday = [];
    private DateOnly _today;

    public WxShareMetrics(IMeterFactory meterFactory, AccountRegistry accounts, TimeProvider time)
    {
        _accounts = accounts;
        _time = time;
        Meter = meterFactory.Create(MeterName);
        _signingRequests = Meter.CreateCounter<long>("wxshare.signing.requests", "{request}",
            "Requests to the config route (/api/jssdk/config), by result: signed, rejected, unavailable, preflight, failed.");
        _refreshes = Meter.CreateCounter<long>("wxshare.refreshes", "{refresh}",
            "Refreshes that called WeChat, by account and result (refreshed, failed, lost_race), with WeChat's errcode and the call that failed.");
        _weChatCalls = Meter.CreateCounter<long>("wxshare.wechat.calls", "{call}",
            "HTTP requests to WeChat and WeCom (each retry counts, as they count it), by endpoint (WeCom's prefixed wecom_) and HTTP status.");
        _fieldReports = Meter.CreateCounter<long>("wxshare.jssdk.reports", "{report}",
            "Field reports posted by pages (/api/jssdk/report), by result: logged, rate_limited, rejected.");
        Meter.CreateObservableGauge("wxshare.wechat.calls.today", ObserveCallsToday, "{call}",
            "Requests to WeChat and WeCom by this process since midnight Beijing time (UTC+8, when WeChat's quotas reset), by endpoint.");
        Meter.CreateObservableGauge("wxshare.wechat.daily_quota", ObserveDailyQuotas, "{call}",
            "WeChat's daily quota per endpoint (jsapi ticket: not published, about 10,000 observed), to compare calls.today with; none for WeCom's hourly-limited endpoints.");
        Meter.CreateObservableGauge("wxshare.credential.remaining", ObserveRemainingLifetimes, "s",
            "Seconds until each account's access_token, jsapi_ticket, card ticket and WeCom agent ticket expire, as this process last read or stored them (0 once expired).");
        Meter.CreateObservableGauge("wxshare.wechat.quota.remaining", ObserveQuotaRemaining, "{call}",
            "WeChat's own count of calls left today per official account and API path (openapi/quota/get), read at most hourly by the timer.");
    }

    public Meter Meter { get; }

    /// <summary>A config-route request, by the status of its answer (counted by the edge, <see cref="Http.HttpEdge"/>).</summary>
    public void CountSigning(int statusCode) =>
        _signingRequests.Add(1, new KeyValuePair<string, object?>("result", statusCode switch
        {
            200 => "signed",
            204 => "preflight",
            503 => "unavailable",
            >= 400 and < 500 => "rejected",
            _ => "failed",
        }), new KeyValuePair<string, object?>("http.response.status_code", statusCode == StatusCodes.Status200OK ? BoxedOk : statusCode));

    // The tag of nearly every count, boxed once rather than per request.
    private static readonly object BoxedOk = StatusCodes.Status200OK;

    /// <summary>A refresh's outcome as its completing write stored it (or lost the race to store it).</summary>
    public void CountRefresh(string storageKey, RefreshOutcome outcome, bool stored)
    {
        var (account, platform) = AccountTags(storageKey);
        _refreshes.Add(1,
            new KeyValuePair<string, object?>("account", account),
            new KeyValuePair<string, object?>("platform", platform),
            new KeyValuePair<string, object?>("result", !stored ? "lost_race" : outcome.Succeeded ? "refreshed" : "failed"),
            new KeyValuePair<string, object?>("errcode", outcome.Failure is { } f ? f.ErrorCode?.ToString() ?? "none" : "0"),
            new KeyValuePair<string, object?>("call", outcome.Failure?.Call.ToString() ?? "none"));
    }

    /// <summary>One HTTP request to WeChat or WeCom (<see cref="ApiCallMetricsHandler"/>).</summary>
    public void CountApiCall(string endpoint, int? statusCode)
    {
        _weChatCalls.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint),
            new KeyValuePair<string, object?>("http.response.status_code", statusCode?.ToString() ?? "none"));
        lock (_todayLock)
        {
            RollOverToBeijingDay();
            _callsToday[endpoint] = _callsToday.GetValueOrDefault(endpoint) + 1;
        }
    }

    public void CountFieldReport(string result) => _fieldReports.Add(1, new KeyValuePair<string, object?>("result", result));

    /// <summary>Remembers the expiries of a row's credentials, read from or written to the store, for the lifetime gauge.</summary>
    public void SawCredentials(CredentialRecord record)
    {
        if (record.AccessToken is { } token)
            _expiries[(record.AppId, "access_token")] = token.ExpiresAt;
        if (record.JsapiTicket is { } ticket)
            _expiries[(record.AppId, "jsapi_ticket")] = ticket.ExpiresAt;
        if (record.CardTicket is { } cardTicket)
            _expiries[(record.AppId, "card_ticket")] = cardTicket.ExpiresAt;
        if (record.AgentTicket is { } agentTicket)
            _expiries[(record.AppId, "agent_ticket")] = agentTicket.ExpiresAt;
        if (record.QuotaReadings is { } readings)
            SawQuota(record.AppId, readings);
    }

    /// <summary>An account's credentials were dropped (an authorizer that withdrew): its lifetimes leave the gauge.</summary>
    public void ForgotCredentials(string storageKey)
    {
        foreach (var key in _expiries.Keys.Where(k => k.StorageKey == storageKey))
            _expiries.TryRemove(key, out _);
    }

    /// <summary>What WeChat's quota/get last said of an account's API paths, for the quota gauge.</summary>
    public void SawQuota(string storageKey, IEnumerable<QuotaReading> readings)
    {
        foreach (var reading in readings)
            _quotaRemaining[(storageKey, reading.CgiPath)] = reading.Remain;
    }

    private IEnumerable<Measurement<long>> ObserveQuotaRemaining() =>
        _quotaRemaining.Select(q =>
        {
            var (account, platform) = AccountTags(q.Key.StorageKey);
            return new Measurement<long>(q.Value, new KeyValuePair<string, object?>("account", account), new KeyValuePair<string, object?>("platform", platform),
                new KeyValuePair<string, object?>("cgi_path", q.Key.CgiPath));
        }).ToArray();

    private IEnumerable<Measurement<long>> ObserveCallsToday()
    {
        lock (_todayLock)
        {
            RollOverToBeijingDay();
            return _callsToday.Select(c => new Measurement<long>(c.Value, new KeyValuePair<string, object?>("endpoint", c.Key))).ToArray();
        }
    }

    private static IEnumerable<Measurement<long>> ObserveDailyQuotas() =>
        DailyQuotas.Select(q => new Measurement<long>(q.Value, new KeyValuePair<string, object?>("endpoint", q.Key)));

    private IEnumerable<Measurement<double>> ObserveRemainingLifetimes()
    {
        var now = _time.GetUtcNow();
        return _expiries.Select(e =>
        {
            var (account, platform) = AccountTags(e.Key.StorageKey);
            return new Measurement<double>(Math.Max(0, (e.Value - now).TotalSeconds), new KeyValuePair<string, object?>("account", account),
                new KeyValuePair<string, object?>("platform", platform), new KeyValuePair<string, object?>("credential", e.Key.Credential));
        }).ToArray();
    }

    private void RollOverToBeijingDay()
    {
        var today = DateOnly.FromDateTime((_time.GetUtcNow() + BeijingOffset).UtcDateTime);
        if (today == _today)
            return;
        _today = today;
        _callsToday.Clear();
    }

    /// <summary>
    /// The account and platform tags of a row: an authorizer is tagged like any account (its name, <c>&lt;platform&gt;/&lt;appid&gt;</c>)
    /// plus its platform; a configured account's platform tag is <c>none</c>.
    /// </summary>
    private (string Account, string Platform) AccountTags(string storageKey)
    {
        var (name, platform) = _accounts.WithStorageKey(storageKey) is { } account ? (account.Name, account.Platform) : Account.NameOfStorageKey(storageKey);
        return (name, platform ?? NoPlatform);
    }

    private const string NoPlatform = "none";
}
