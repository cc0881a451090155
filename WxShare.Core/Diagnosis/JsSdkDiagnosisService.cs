using Azure;
using Microsoft.Extensions.Logging;
using WxShare.Storage;

namespace WxShare.Diagnosis;

/// <summary>Runs the diagnosis against what the store holds now (not the signing cache: operators want the truth).</summary>
public sealed partial class JsSdkDiagnosisService(
    JsSdkDiagnostician diagnostician,
    CredentialStore store,
    TimeProvider time,
    ILogger<JsSdkDiagnosisService> logger)
{
    public async Task<JsSdkDiagnosis> DiagnoseAsync(DiagnosisInput input, CancellationToken cancellationToken)
    {
        var tickets = JsapiTickets.Unknown;
        if (diagnostician.AccountFor(input) is { } account)
        {
            try
            {
                var record = await store.GetAsync(account.StorageKey, cancellationToken);
                tickets = new JsapiTickets(record.JsapiTicket, record.PreviousJsapiTicket);
            }
            catch (RequestFailedException e)
            {
                LogStorageFailed(e, account.Name); // the diagnosis still says everything but the signature's verdict
            }
        }
        return diagnostician.Diagnose(input, tickets, time.GetUtcNow());
    }

    [LoggerMessage(LogLevel.Error, "Reading the credentials of account {Account} for a diagnosis failed")]
    private partial void LogStorageFailed(Exception exception, string account);
}
