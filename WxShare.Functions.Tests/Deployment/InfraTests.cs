using System.Text.Json.Nodes;

namespace WxShare.Functions.Tests.Deployment;

/// <summary>
/// infra/ compiles and lints clean with the pinned Bicep CLI, and the compiled template keeps the Flex Consumption
/// rules of /work/shared/azure-flex-facts.md: no forbidden settings, the identity everywhere, the secret never out.
/// </summary>
public sealed class InfraTests
{
    /// <summary>Settings Flex Consumption rejects or ignores (Learn functions-app-settings, flex deprecations; TZ unsupported).</summary>
    private static readonly string[] ForbiddenAppSettings =
    [
        "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_WORKER_RUNTIME_VERSION", "FUNCTIONS_EXTENSION_VERSION", "FUNCTIONS_WORKER_PROCESS_COUNT",
        "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTSHARE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
        "WEBSITE_SKIP_CONTENTSHARE_VALIDATION", "WEBSITE_CONTENTOVERVNET", "SCM_DO_BUILD_DURING_DEPLOYMENT", "ENABLE_ORYX_BUILD",
        "WEBSITE_VNET_ROUTE_ALL", "WEBSITE_TIME_ZONE", "TZ",
        // Shared keys are off, and an empty AzureWebJobsStorage breaks the host.
        "AzureWebJobsStorage",
        // Does not work for the host's storage identity; __clientId does.
        "AzureWebJobsStorage__managedIdentityResourceId",
    ];

    /// <summary>siteConfig properties that get ARM error 51021 on Flex Consumption.</summary>
    private static readonly string[] ForbiddenSiteConfig =
    [
        "linuxFxVersion", "netFrameworkVersion", "ftpsState", "use32BitWorkerProcess",
        "functionsRuntimeScaleMonitoringEnabled", "preWarmedInstanceCount", "functionAppScaleLimit", "vnetRouteAllEnabled",
    ];

    private static JsonObject Site => Assert.Single(BicepCli.Resources("Microsoft.Web/sites"));
    internal static JsonObject AppSettings => Assert.Single(BicepCli.Resources("Microsoft.Web/sites/config"))["properties"]!.AsObject();

    [Fact]
    public void Main_bicep_builds_with_no_warnings_or_errors()
    {
        // The compile behind every other test here throws on a non-zero exit or on any diagnostic.
        Assert.NotNull(BicepCli.MainTemplate["resources"]);
    }

    [Fact]
    public void Main_bicep_lints_with_no_warnings_or_errors()
    {
        var (exitCode, diagnostics) = BicepCli.Run("lint", BicepCli.MainBicep);
        Assert.True(exitCode == 0 && diagnostics.Length == 0, $"bicep lint exited {exitCode}:\n{diagnostics}");
    }

    [Fact]
    public void No_setting_or_site_property_that_Flex_Consumption_refuses_is_emitted()
    {
        Assert.Empty(AppSettings.Select(s => s.Key).Intersect(ForbiddenAppSettings, StringComparer.OrdinalIgnoreCase));
        var properties = Site["properties"]!.AsObject();
        var siteConfig = properties["siteConfig"]!.AsObject();
        Assert.Empty(siteConfig.Select(p => p.Key).Intersect(ForbiddenSiteConfig, StringComparer.OrdinalIgnoreCase));
        Assert.False(properties.ContainsKey("vnetRouteAllEnabled"));
        Assert.Empty(BicepCli.Resources("Microsoft.Web/sites/networkConfig"));
    }

    [Fact]
    public void The_app_is_dotnet_isolated_10_on_a_flex_consumption_plan()
    {
        var plan = Assert.Single(BicepCli.Resources("Microsoft.Web/serverfarms"));
        Assert.Equal("FC1", (string?)plan["sku"]!["name"]);
        Assert.Equal("FlexConsumption", (string?)plan["sku"]!["tier"]);
        var runtime = Site["properties"]!["functionAppConfig"]!["runtime"]!;
        Assert.Equal("dotnet-isolated", (string?)runtime["name"]);
        Assert.Equal("10.0", (string?)runtime["version"]);
        Assert.Equal("functionapp,linux", (string?)Site["kind"]);
    }

    [Fact]
    public void The_user_assigned_identity_reaches_storage_key_vault_and_app_insights()
    {
        var properties = Site["properties"]!;
        Assert.Equal("UserAssigned", (string?)Site["identity"]!["type"]);
        Assert.Equal("[parameters('identityId')]", (string?)properties["keyVaultReferenceIdentity"]);
        Assert.Equal("UserAssignedIdentity", (string?)properties["functionAppConfig"]!["deployment"]!["storage"]!["authentication"]!["type"]);
        Assert.Equal("managedidentity", (string?)AppSettings["AzureWebJobsStorage__credential"]);
        Assert.StartsWith("[", (string?)AppSettings["AzureWebJobsStorage__clientId"]);
        Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri=", (string?)AppSettings["WeChat__AppSecret"]);
        Assert.Contains("Authorization=AAD", (string?)AppSettings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);

        // Blob Data Owner, Queue Data Contributor, Table Data Contributor (one looped resource), Monitoring Metrics
        // Publisher, Key Vault Secrets User; all to the app's identity, as a service principal.
        var assignments = BicepCli.Resources("Microsoft.Authorization/roleAssignments").ToList();
        Assert.Equal(3, assignments.Count);
        Assert.All(assignments, r => Assert.Equal("ServicePrincipal", (string?)r["properties"]!["principalType"]));
        var template = BicepCli.MainTemplate.ToJsonString();
        foreach (var role in new[]
                 {
                     "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "974c5e8b-45b9-4653-ba55-5f855dd0fb88", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
                     "3913510d-42f4-4e42-8a64-420c390055eb", "4633458b-17de-408a-b874-0445c86b69e6",
                 })
            Assert.Contains(role, template);
    }

    [Fact]
    public void Shared_keys_and_local_auth_are_off_and_the_vault_uses_rbac()
    {
        var storage = Assert.Single(BicepCli.Resources("Microsoft.Storage/storageAccounts"), r => r["properties"] is not null);
        Assert.False((bool)storage["properties"]!["allowSharedKeyAccess"]!);
        var insights = Assert.Single(BicepCli.Resources("Microsoft.Insights/components"), r => r["properties"] is not null);
        Assert.True((bool)insights["properties"]!["DisableLocalAuth"]!);
        var vault = Assert.Single(BicepCli.Resources("Microsoft.KeyVault/vaults"), r => r["properties"] is not null);
        Assert.True((bool)vault["properties"]!["enableRbacAuthorization"]!);
    }

    [Fact]
    public void The_app_secret_is_a_secure_parameter_and_never_an_output()
    {
        var template = BicepCli.MainTemplate;
        Assert.Equal("securestring", (string?)template["parameters"]!["weChatAppSecret"]!["type"]);
        Assert.Null(template["parameters"]!["weChatAppSecret"]!["defaultValue"]);
        Assert.DoesNotContain(BicepCli.Resources("Microsoft.Resources/deployments"),
            module => module["properties"]?["template"]?["outputs"]?.ToJsonString().Contains("weChatAppSecret\")", StringComparison.Ordinal) == true);
        Assert.DoesNotContain("weChatAppSecret", template["outputs"]!.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Platform_cors_is_left_empty_because_WxShare_answers_cors_itself()
    {
        Assert.Empty(Site["properties"]!["siteConfig"]!["cors"]!["allowedOrigins"]!.AsArray());
    }

    [Fact]
    public void A_static_outbound_ip_is_on_by_default_and_its_address_is_the_labelled_output()
    {
        var template = BicepCli.MainTemplate;
        Assert.True((bool)template["parameters"]!["staticOutboundIp"]!["defaultValue"]!);
        var output = template["outputs"]!["WECHAT_IP_WHITELIST_ADDRESS"]!;
        Assert.Contains("IP whitelist", (string?)output["metadata"]!["description"]);
        Assert.Contains("outboundIpAddress", output["value"]!.ToString());

        var ip = Assert.Single(BicepCli.Resources("Microsoft.Network/publicIPAddresses"));
        Assert.Equal("Static", (string?)ip["properties"]!["publicIPAllocationMethod"]);
        Assert.Single(BicepCli.Resources("Microsoft.Network/natGateways"));
        var subnet = Assert.Single(BicepCli.Resources("Microsoft.Network/virtualNetworks"))["properties"]!["subnets"]![0]!;
        Assert.Equal("Microsoft.App/environments", (string?)subnet["properties"]!["delegations"]![0]!["properties"]!["serviceName"]);
        Assert.NotNull(subnet["properties"]!["natGateway"]);
        Assert.DoesNotContain("_", (string?)subnet["name"]);
    }
}
