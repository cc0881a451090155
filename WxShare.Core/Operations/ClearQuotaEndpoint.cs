using WxShare.Accounts;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using WxShare.Http;
using WxShare.WeChatDiagnostics;

namespace WxShare.Operations;

/// <summary>
/// POST /api/ops/clear-quota?appId=…, key-protected, body <c>{"confirm": true}</c>: resets an official account's
/// daily quotas with WeChat's clear_quota (10 a month, counted in the account's row before WeChat is called).
/// </summary>
public sealed class ClearQuotaEndpoint(AccountSelector accounts, ClearQuotaService clearing, TimeProvider time, ILogger<ClearQuotaEndpoint> logger)
{
    private const int MaxBodyBytes = 1024;

    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var response = request.HttpContext.Response;
        if (!OperationsResults.TrySelectAccount(accounts, request, WeChatDiagnosticsResults.OfficialAccountOnly, out var account, out var refused))
            return refused;
        // clear_quota/v2 takes the account's AppSecret, which a third-party platform never holds: refused before the
        // monthly budget is spent on a call that cannot succeed.
        if (account.IsAuthorizer)
            return OperationsResults.Error(response, Refusal.Invalid("clear_quota_needs_appsecret",
                $"{account.AppId} is an authorizer of platform {account.Platform}: clear_quota/v2 takes the account's own AppSecret, which the platform "
                + "never holds, so WxShare cannot clear its quota. The account's administrator can reset it in the official account's admin panel."));
        if (!await IsConfirmedAsync(request, cancellationToken))
            return OperationsResults.Error(response, StatusCodes.Status400BadRequest, "confirm_required",
                $"Clearing the quota spends one of {ClearQuotaService.MonthlyBudget} a month that WeChat allows: send the JSON body {{\"confirm\": true}} to do it.");
        return await WeChatDiagnosticsResults.AnswerAsync(request, account, time, logger,
            () => clearing.ClearAsync(account, OperatorCaller.Of(request.HttpContext), cancellationToken),
            outcome =>
            {
                var left = ClearQuotaService.MonthlyBudget - outcome.ClearsThisMonth;
                return OperationsResults.Json(new ClearQuotaReport(account.AppId,
                        $"WeChat cleared {account.AppId}'s daily quotas; {left} clearing(s) left in {outcome.Month} (Beijing time).",
                        outcome.Month, outcome.ClearsThisMonth, left,
                        outcome.Quota is { Failure: null } quota ? QuotaEndpoint.Report(account.AppId, quota) : null),
                    WeChatDiagnosticsJsonContext.Default.ClearQuotaReport);
            });
    }

    /// <summary>Only <c>{"confirm": true}</c> (a JSON object whose confirm is the literal true) clears the quota.</summary>
    private static async Task<bool> IsConfirmedAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (await BoundedBody.ReadAsync(request, MaxBodyBytes, cancellationToken) is not { Count: > 0 } body)
            return false;
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("confirm", out var confirm) && confirm.ValueKind == JsonValueKind.True;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
