using System.Globalization;
using Azure;
using Azure.Data.Tables;
using WxShare.Accounts;
using WxShare.Storage;

namespace WxShare.WeCom;

/// <summary>
/// WeCom allows 400 ticket calls an hour per corp and 100 per app (docs 96909, 90454). Every ticket call is reserved
/// here before it is made, in one row per corp written only ETag-conditionally, so the count survives restarts and is
/// shared by every instance and every app of the corp: no pattern of load, restarts or failures can exceed the limits.
/// Corp and agent tickets count together (no agent-specific figure is published), and each call counts as
/// <see cref="WeComApiClient.MaxAttemptsPerCall"/>, since the HTTP retry may send it that many times.
/// </summary>
public sealed class WeComTicketBudget(TableClient table, TimeProvider time)
{
    public const int CorpCallsPerHour = 400;
    public const int AppCallsPerHour = 100;
    public const string RowKey = "wecom-ticket-calls";
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);
    private const int WriteAttempts = 8;

    /// <summary>The corp's row: beside its apps' rows (<c>wecom-&lt;corp&gt;-&lt;agent&gt;</c>), never one of them.</summary>
    public static string PartitionKeyOf(string corpId) => $"wecom-{corpId}";

    /// <summary>Reserves <paramref name="calls"/> ticket calls for the app.</summary>
    /// <returns>Null when granted; otherwise the earliest time at which the limits would allow them.</returns>
    public async Task<DateTimeOffset?> TryReserveAsync(Account account, int calls, CancellationToken cancellationToken)
    {
        var units = calls * WeComApiClient.MaxAttemptsPerCall;
        var now = time.GetUtcNow();
        for (var attempt = 0; attempt < WriteAttempts; attempt++)
        {
            now = time.GetUtcNow();
            var response = await table.GetEntityIfExistsAsync<TicketCallsEntity>(PartitionKeyOf(account.AppId), RowKey, cancellationToken: cancellationToken);
            var entity = response.HasValue ? response.Value! : new TicketCallsEntity { PartitionKey = PartitionKeyOf(account.AppId) };
            var history = TicketCall.Parse(entity.Calls).Where(c => c.At > now - Window).OrderBy(c => c.At).ToList();
            if (FreesAt(history, account.AgentId!, units) is { } freesAt)
                return freesAt;

            history.Add(new TicketCall(account.AgentId!, now, units));
            entity.Calls = TicketCall.Format(history);
            try
            {
                if (response.HasValue)
                    await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
                else
                    await table.AddEntityAsync(entity, cancellationToken);
                return null;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another app of the corp (or instance) reserved first: read its reservation and decide again.
            }
        }
        return now + TimeSpan.FromMinutes(1);
    }

    /// <summary>The calls made for this corp in the last hour, per app: what the limits are checked against.</summary>
    public async Task<IReadOnlyList<TicketCall>> HistoryAsync(string corpId, CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<TicketCallsEntity>(PartitionKeyOf(corpId), RowKey, cancellationToken: cancellationToken);
        var now = time.GetUtcNow();
        return response.HasValue ? TicketCall.Parse(response.Value!.Calls).Where(c => c.At > now - Window).ToList() : [];
    }

    /// <returns>Null when <paramref name="units"/> more fit now; else when enough of the history has left the window.</returns>
    private static DateTimeOffset? FreesAt(List<TicketCall> history, string agentId, int units)
    {
        var app = history.Where(c => c.AgentId == agentId).Sum(c => c.Units);
        var corp = history.Sum(c => c.Units);
        if (app + units <= AppCallsPerHour && corp + units <= CorpCallsPerHour)
            return null;
        foreach (var call in history)
        {
            corp -= call.Units;
            if (call.AgentId == agentId)
                app -= call.Units;
            if (app + units <= AppCallsPerHour && corp + units <= CorpCallsPerHour)
                return call.At + Window;
        }
        return history[^1].At + Window;
    }

    /// <summary>One reserved ticket call: the app, when, and how many of the hour's calls it may use.</summary>
    public sealed record TicketCall(string AgentId, DateTimeOffset At, int Units)
    {
        public static IEnumerable<TicketCall> Parse(string? stored)
        {
            foreach (var entry in (stored ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = entry.Split(':');
                if (parts.Length == 3 && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var at) && int.TryParse(parts[2], CultureInfo.InvariantCulture, out var units))
                    yield return new TicketCall(parts[0], DateTimeOffset.FromUnixTimeMilliseconds(at), units);
            }
        }

        public static string Format(IEnumerable<TicketCall> calls) =>
            string.Join(';', calls.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.AgentId}:{c.At.ToUnixTimeMilliseconds()}:{c.Units}")));
    }

    private sealed class TicketCallsEntity() : TableRow(WeComTicketBudget.RowKey)
    {
        /// <summary>The last hour's reservations, <c>agentId:unixMilliseconds:units</c> joined by ';'.</summary>
        public string? Calls { get; set; }
    }
}
