using Microsoft.Extensions.Logging;
using WxShare.Accounts;
using WxShare.Errors;
using WxShare.Storage;

namespace WxShare.Diagnosis;

/// <summary>Runs the diagnosis against what the store holds now (not the signing cache: operators want the truth).</summary>
public sealed partial class JsSdkDiagnosisService(
    JsSdkDiagnostician diagnostician,
    AccountRegistry registry,
    CredentialStore store,
    TimeProvider time,
    ApiErrorAdvisor advisor,
    ILogger<JsSdkDiagnosisService> logger)
{
    /// <summary>At most this many other accounts' tickets are read to tell a signature made with one of them apart.</summary>
    public const int MaxOtherAccounts = 20;

    /// <param name="reaches">Which other accounts the caller may learn of (a key's Accounts); every account when null.</param>
    public async Task<JsSdkDiagnosis> DiagnoseAsync(DiagnosisInput input, CancellationToken cancellationToken, Func<Account, bool>? reaches = null)
    {
        var tickets = JsapiTickets.Unknown;
        if (diagnostician.AccountFor(input) is { } account)
        {
            try
            {
                tickets = await TicketsOfAsync(account, cancellationToken);
                // A WeCom signature may have been made with another app's ticket of the same corp (the page asked for that
                // app): read theirs too, only when there is a signature to check.
                if (account.Kind == AccountKind.WeCom && !string.IsNullOrWhiteSpace(input.Signature))
                {
                    var others = new Dictionary<string, JsapiTickets>();
                    foreach (var other in registry.WithAppId(account.AppId).Where(a => a != account && a.AgentId is not null))
                        others[other.AgentId!] = await TicketsOfAsync(other, cancellationToken);
                    tickets = tickets with { OtherApps = others };
                }
                // An official account's page may have asked the config route for another account on the same domains
                // (a platform's authorizers share them): read theirs too, only when there is a signature to check.
                if (account.Kind == AccountKind.Mp && !string.IsNullOrWhiteSpace(input.Signature))
                {
                    var others = new List<OtherAccountTickets>();
                    foreach (var other in diagnostician.OtherSignersOf(input, account, registry.All).Where(a => reaches?.Invoke(a) != false).Take(MaxOtherAccounts))
                        others.Add(new OtherAccountTickets(other, await TicketsOfAsync(other, cancellationToken)));
                    tickets = tickets with { OtherAccounts = others };
                }
            }
            catch (StorageUnavailableException e)
            {
                LogStorageFailed(e, account.Name); // the diagnosis still says everything but the signature's verdict
            }
        }
        return diagnostician.Diagnose(input, tickets, time.GetUtcNow());
    }

    private async Task<JsapiTickets> TicketsOfAsync(Account account, CancellationToken cancellationToken)
    {
        var record = await store.GetAsync(account.StorageKey, cancellationToken);
        return new JsapiTickets(record.JsapiTicket, record.PreviousJsapiTicket)
        {
            AgentCurrent = record.AgentTicket,
            AgentPrevious = record.PreviousAgentTicket,
            LastFailure = record.LastFailure is { } failure ? advisor.Describe(account, failure) : null,
        };
    }

    [LoggerMessage(LogLevel.Error, "Reading the credentials of account {Account} for a diagnosis failed")]
    private partial void LogStorageFailed(Exception exception, string account);
}
