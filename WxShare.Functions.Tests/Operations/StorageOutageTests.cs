using WxShare.Http;
using Microsoft.AspNetCore.Http;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Functions.Tests.Refresh;
using WxShare.Operations;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Operations;

/// <summary>With the Azurite process stopped, every operator route answers JSON 503 storage_unavailable, never a stack trace.</summary>
public sealed class StorageOutageTests
{
    [Fact]
    public async Task Every_operator_route_answers_503_storage_unavailable_when_Azurite_is_stopped()
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        {
            await using var context = await WxShareTestContext.StartAsync(azurite, s => s["WeChat:Relay"] = "true");
            await context.TickAsync();
            var token = (await context.StoredAsync()).AccessToken!.Value;
            context.Time.Advance(TimeSpan.FromMinutes(2));
            azurite.Kill(); // connections to its port are refused from now on

            var query = "?appId=" + SandboxDefaults.AppId;
            var calls = new (string Method, string Path, string? Body, Func<HttpRequest, Task<IResult>> Function)[]
            {
                ("GET", "/api/health", null, new HealthFunction(context.Get<HttpEdge>()).Run),
                ("GET", "/api/wechat/token", null, new TokenRelayFunction(context.Get<HttpEdge>()).Run),
                ("POST", "/api/wechat/token/refresh", OperatorCalls.RejectedTokenBody(token), new TokenRelayRefreshFunction(context.Get<HttpEdge>()).Run),
                ("POST", "/api/ops/refresh", null, new RefreshNowFunction(context.Get<HttpEdge>()).Run),
                ("GET", "/api/ops/quota", null, new WeChatQuotaFunction(context.Get<HttpEdge>()).Run),
                ("GET", "/api/ops/rid", null, request =>
                {
                    request.QueryString = request.QueryString.Add("rid", "6650a1c2-3b4d5e6f-7a8b9c0d");
                    return new WeChatRidFunction(context.Get<HttpEdge>()).Run(request);
                }),
                ("POST", "/api/ops/clear-quota", OperatorCalls.Confirmed, new WeChatClearQuotaFunction(context.Get<HttpEdge>()).Run),
            };
            foreach (var (method, path, body, function) in calls)
            {
                var answer = await OperatorCalls.RunAsync(OperatorCalls.Request(context.Services, method, path, query, body), function);
                Assert.Equal((503, "storage_unavailable"), (answer.Status, answer.Error));
                Assert.Equal("30", answer.Headers.RetryAfter.ToString());
                Assert.DoesNotContain("   at ", answer.Body);
            }
        }
    }
}
