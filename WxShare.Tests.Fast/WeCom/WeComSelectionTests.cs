using WxShare.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using WxShare.Accounts;
using WxShare.Configuration;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Operations;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.WeCom;

/// <summary>Choosing among an official account and two apps of one WeCom corp, which share the corp's appId and a domain.</summary>
public sealed class WeComSelectionTests
{
    private static AccountRegistry Registry()
    {
        var settings = TestSettings.Offline();
        WeComApps.AddBoth(settings);
        var options = new AccountsOptions();
        options.Load(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return new AccountRegistry(Options.Create(options));
    }

    private static QueryCollection Query(string? page, string? appId, string[] agentIds)
    {
        var query = new Dictionary<string, StringValues>();
        if (page is not null)
            query["url"] = page;
        if (appId is not null)
            query["appId"] = appId;
        if (agentIds.Length > 0)
            query["agentId"] = agentIds;
        return new QueryCollection(query);
    }

    private static AccountSelection Select(string page, string? appId = null, params string[] agentIds) =>
        new AccountSelector(Registry()).Select(Query(page, appId, agentIds), AccountUse.Page(new Uri(page)));

    /// <summary>As the operator routes choose: no page, so the names alone must say which account.</summary>
    private static AccountSelection SelectForOperator(string? appId, params string[] agentIds) =>
        new AccountSelector(Registry()).Select(Query(null, appId, agentIds), AccountUse.Operator);

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
        Assert.Equal((status, error), (ApiErrors.StatusOf(rejection.Kind), rejection.Error.Error));
        Assert.True(rejection.Error.Message.Length > 40, rejection.Error.Message);
    }

    [Fact]
    public void Two_apps_of_one_corp_on_one_domain_are_told_apart_by_agentId()
    {
        var message = Select("https://work.example.cn/a", WeComApps.CorpId).Rejection!.Error.Message;
        Assert.Contains("agentId", message);
        // Issue 17: it says what to pass, not which apps exist.
        Assert.DoesNotContain($"agent {WeComApps.One}", message);
        Assert.DoesNotContain($"agent {WeComApps.Two}", message);
    }

    [Theory]
    [InlineData(WeComApps.CorpId, new[] { WeComApps.One }, "hr")]
    [InlineData(WeComApps.CorpId, new[] { WeComApps.Two }, "crm")]
    [InlineData(null, new[] { WeComApps.Two }, "crm")]
    [InlineData(SandboxDefaults.AppId, new string[0], "default")]
    public void Operator_routes_take_the_app_by_appId_and_agentId(string? appId, string[] agentIds, string expected)
    {
        var selection = SelectForOperator(appId, agentIds);
        Assert.Null(selection.Rejection);
        Assert.Equal(expected, selection.Account!.Name);
    }

    [Theory]
    [InlineData(WeComApps.CorpId, new[] { "1000999" }, 404, "account_unknown", "agentId '1000999'")]
    [InlineData(null, new[] { "1000999" }, 404, "account_unknown", "agentId '1000999'")]
    [InlineData(SandboxDefaults.AppId, new[] { WeComApps.One }, 404, "account_unknown", "agentId '1000002'")]
    [InlineData("wx0000000000000bad", new[] { WeComApps.One }, 404, "account_unknown", "appId 'wx0000000000000bad'")]
    [InlineData("wx0000000000000bad", new string[0], 404, "account_unknown", "appId 'wx0000000000000bad'")]
    [InlineData(WeComApps.CorpId, new[] { "hr" }, 400, "agentid_invalid", "'agentId' is 'hr'")]
    [InlineData(WeComApps.CorpId, new[] { WeComApps.One, WeComApps.Two }, 400, "agentid_repeated", "'agentId' appears more than once")]
    public void Operator_routes_refuse_a_bad_or_unknown_name_exactly_as_the_config_route_does(string? appId, string[] agentIds, int status, string error, string named)
    {
        var page = Select("https://work.example.cn/a", appId, agentIds).Rejection;
        var operatorRoute = SelectForOperator(appId, agentIds).Rejection;

        Assert.NotNull(page);
        Assert.Equal((status, error), (ApiErrors.StatusOf(page.Kind), page.Error.Error));
        Assert.Contains(named, page.Error.Message);
        Assert.Equal(page, operatorRoute);
    }

    [Fact]
    public void Operator_routes_ask_for_the_agentId_when_the_corp_has_several_apps_and_for_the_appId_when_nothing_names_one()
    {
        var corp = SelectForOperator(WeComApps.CorpId).Rejection!;
        var nothing = SelectForOperator(null).Rejection!;

        Assert.Equal((400, "agentid_missing"), (ApiErrors.StatusOf(corp.Kind), corp.Error.Error));
        Assert.Contains("agentId", corp.Error.Message);
        Assert.DoesNotContain($"agent {WeComApps.One}", corp.Error.Message);
        Assert.DoesNotContain($"agent {WeComApps.Two}", corp.Error.Message);
        Assert.Equal((400, "appid_missing"), (ApiErrors.StatusOf(nothing.Kind), nothing.Error.Error));
        Assert.Contains("appId", nothing.Error.Message);
    }
}
