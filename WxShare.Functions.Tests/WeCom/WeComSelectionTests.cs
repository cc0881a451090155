using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using WxShare.Accounts;
using WxShare.Configuration;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.WeCom;

/// <summary>Choosing among an official account and two apps of one WeCom corp, which share the corp's appId and a domain.</summary>
public sealed class WeComSelectionTests
{
    private static AccountSelection Select(string page, string? appId = null, params string[] agentIds)
    {
        var settings = TestSettings.Offline();
        WeComApps.AddBoth(settings);
        var options = new AccountsOptions();
        options.Load(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        var query = new Dictionary<string, StringValues> { ["url"] = page };
        if (appId is not null)
            query["appId"] = appId;
        if (agentIds.Length > 0)
            query["agentId"] = agentIds;
        return new AccountSelector(new AccountRegistry(Options.Create(options))).Select(new QueryCollection(query), new Uri(page));
    }

    [Theory]
    [InlineData("https://work.example.cn/a", WeComApps.CorpId, WeComApps.One, "hr")]
    [InlineData("https://work.example.cn/a", WeComApps.CorpId, WeComApps.Two, "crm")]
    [InlineData("https://m.work.example.cn/a", null, WeComApps.Two, "crm")]
    [InlineData("https://m.example.com/a", null, null, "default")]
    public void The_agentId_names_one_app_of_the_corp(string page, string? appId, string? agentId, string expected)
    {
        var selection = agentId is null ? Select(page, appId) : Select(page, appId, agentId);
        Assert.Null(selection.Rejection);
        Assert.Equal(expected, selection.Account!.Name);
    }

    [Theory]
    [InlineData("https://work.example.cn/a", WeComApps.CorpId, new string[0], 400, "account_ambiguous")]
    [InlineData("https://work.example.cn/a", null, new string[0], 400, "account_ambiguous")]
    [InlineData("https://work.example.cn/a", WeComApps.CorpId, new[] { "1000999" }, 404, "account_unknown")]
    [InlineData("https://work.example.cn/a", null, new[] { "1000999" }, 404, "account_unknown")]
    [InlineData("https://work.example.cn/a", SandboxDefaults.AppId, new[] { WeComApps.One }, 404, "account_unknown")]
    [InlineData("https://work.example.cn/a", WeComApps.CorpId, new[] { "hr" }, 400, "agentid_invalid")]
    [InlineData("https://work.example.cn/a", WeComApps.CorpId, new[] { WeComApps.One, WeComApps.Two }, 400, "agentid_repeated")]
    [InlineData("https://evil.example.org/a", WeComApps.CorpId, new[] { WeComApps.One }, 403, "domain_not_allowed")]
    [InlineData("https://m.example.com/a", null, new[] { WeComApps.One }, 403, "domain_not_allowed")]
    public void Refuses_with_a_code_and_a_message_that_says_what_to_do(string page, string? appId, string[] agentIds, int status, string error)
    {
        var rejection = Select(page, appId, agentIds).Rejection;
        Assert.NotNull(rejection);
        Assert.Equal((status, error), (rejection.StatusCode, rejection.Error.Error));
        Assert.True(rejection.Error.Message.Length > 40, rejection.Error.Message);
    }

    [Fact]
    public void Two_apps_of_one_corp_on_one_domain_are_told_apart_by_agentId()
    {
        var message = Select("https://work.example.cn/a", WeComApps.CorpId).Rejection!.Error.Message;
        Assert.Contains("agentId", message);
        Assert.Contains($"{WeComApps.CorpId} agent {WeComApps.One}", message);
        Assert.Contains($"{WeComApps.CorpId} agent {WeComApps.Two}", message);
    }
}
