using System.Text.RegularExpressions;
using WxShare.Accounts;
using WxShare.Errors;
using WxShare.Storage;
using WxShare.WeChat;

namespace WxShare.WeChatDiagnostics;

/// <summary>What WeChat saw of one call, every secret masked.</summary>
public sealed record SeenCall(
    string Rid, DateTimeOffset? InvokeTime, long? CostInMs, string? ClientIp, string? RequestUrl, string? RequestBody, string? ResponseBody);

public sealed record RidOutcome(SeenCall? Call, DiagnosticsFailure? Failure) : IDiagnosticsOutcome;

/// <summary>
/// POST /cgi-bin/openapi/rid/get for an official account: what WeChat saw of a call whose errmsg ended in
/// <c>rid: …</c>. Its URL and bodies hold the AppSecret, tokens and tickets; all are masked before anyone sees them.
/// </summary>
public sealed partial class RidLookupService(CredentialStore store, WeChatApiClient weChat, TimeProvider time)
{
    /// <summary>WeChat's rid: three groups of 8 hex digits, e.g. <c>6650a1c2-3b4d5e6f-7a8b9c0d</c>.</summary>
    public static bool IsWellFormed(string? rid) => rid is not null && RidShape().IsMatch(rid);

    public async Task<RidOutcome> LookUpAsync(Account account, string rid, CancellationToken cancellationToken)
    {
        var record = await store.GetAsync(account.StorageKey, cancellationToken);
        if (WeChatQuotaService.StoredToken(record, time.GetUtcNow()) is not { } token)
            return new RidOutcome(null, DiagnosticsFailure.NoToken(account));
        RidAnswer answer;
        try
        {
            answer = await weChat.GetRidAsync(token.Value, rid, cancellationToken);
        }
        catch (ApiCallException e)
        {
            return new RidOutcome(null, DiagnosticsFailure.FromWeChat(e, account, time.GetUtcNow()));
        }

        var masker = new SecretMasker(KnownSecrets(account, record));
        var seen = answer.Request;
        return new RidOutcome(new SeenCall(rid,
            seen?.InvokeTime is { } invoked ? DateTimeOffset.FromUnixTimeSeconds(invoked) : null,
            seen?.CostInMs,
            seen?.ClientIp,
            masker.MaskText(seen?.RequestUrl),
            masker.MaskText(seen?.RequestBody),
            masker.MaskText(seen?.ResponseBody)), null);
    }

    /// <summary>Every secret value WxShare holds for the account: what a rid's bodies may carry besides named fields.</summary>
    private static IEnumerable<string?> KnownSecrets(Account account, CredentialRecord record) =>
    [
        account.AppSecret, record.AccessToken?.Value, record.JsapiTicket?.Value, record.PreviousJsapiTicket?.Value, record.CardTicket?.Value,
    ];

    [GeneratedRegex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{8}-[0-9a-fA-F]{8}$")]
    private static partial Regex RidShape();
}
