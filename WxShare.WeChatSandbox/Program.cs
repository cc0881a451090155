using WxShare.WeChatSandbox;

// Standalone sandbox: dotnet run --project WxShare.WeChatSandbox -- --urls http://127.0.0.1:5081
var builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrWhiteSpace(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
    builder.WebHost.UseUrls(SandboxDefaults.Url);

var options = SandboxApplication.OptionsFrom(builder.Configuration);
var app = SandboxApplication.Build(builder, options, TimeProvider.System);
await app.StartAsync();

Console.WriteLine(
    $"WeChat SANDBOX (a fake of api.weixin.qq.com with FAKE credentials, not real WeChat) for appid {string.Join(", ", options.Accounts.Select(a => a.AppId))} listening on {string.Join(", ", app.Urls)}");
Console.WriteLine(
    $"WeCom SANDBOX (a fake of qyapi.weixin.qq.com) on the same address for apps {string.Join(", ", options.WeCom.Apps.Select(a => $"{a.CorpId}/{a.AgentId}"))}");
Console.WriteLine(
    $"Open Platform SANDBOX (component endpoints, /_sandbox/authorize) for component {options.Platform.ComponentAppId}, pushing to {options.Platform.EventUrl?.ToString() ?? "no event URL (Sandbox__Platform__EventUrl)"}");
await app.WaitForShutdownAsync();
