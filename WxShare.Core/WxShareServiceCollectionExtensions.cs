using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WxShare.Accounts;
using WxShare.Cards;
using WxShare.Configuration;
using WxShare.Errors;
using WxShare.Operations;
using WxShare.Page;
using WxShare.Platform;
using WxShare.Http;
using WxShare.Diagnosis;
using WxShare.Refresh;
using WxShare.Signing;
using WxShare.Storage;
using WxShare.Telemetry;
using WxShare.WeChat;
using WxShare.WeCom;

namespace WxShare;

public static class WxShareServiceCollectionExtensions
{
    /// <summary>Everything both hosts share: settings validated at start-up, the WeChat client, the store, the refresh and the signing endpoint.</summary>
    public static IServiceCollection AddWxShare(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);

        AddValidatedOptions<WeChatOptions, WeChatOptionsValidator>(services, configuration, WeChatOptions.Section);
        AddValidatedOptions<DeploymentOptions, DeploymentOptionsValidator>(services, configuration, DeploymentOptions.Section);
        services.AddSingleton<ApiErrorAdvisor>();
        services.AddSingleton<IValidateOptions<AccountsOptions>, AccountsOptionsValidator>();
        services.AddOptions<AccountsOptions>().Configure(o => o.Load(configuration)).ValidateOnStart();
        services.AddSingleton<AccountRegistry>();
        services.AddSingleton<AccountSelector>();
        services.AddKeys(configuration);
        AddValidatedOptions<RefreshOptions, RefreshOptionsValidator>(services, configuration, RefreshOptions.Section)
            .Configure(o => o.Schedule = configuration[RefreshOptions.ScheduleSetting] ?? o.Schedule);
        AddValidatedOptions<SigningOptions, SigningOptionsValidator>(services, configuration, SigningOptions.Section);
        AddValidatedOptions<StorageOptions, StorageOptionsValidator>(services, configuration, StorageOptions.Section)
            .PostConfigure(o => FallBackToHostStorage(o, configuration));

        services.AddSingleton<CredentialTableFactory>();
        services.AddSingleton(sp => sp.GetRequiredService<CredentialTableFactory>().CreateClient());
        services.AddSingleton<StorageReadCounter>();
        services.AddSingleton(sp => new CredentialStore(sp.GetRequiredService<TableClient>(), sp.GetRequiredService<StorageReadCounter>(),
            sp.GetRequiredService<Telemetry.WxShareMetrics>()));
        services.AddKeyedSingleton(CredentialTableFactory.ColdReads, (sp, _) => new CredentialStore(
            sp.GetRequiredService<CredentialTableFactory>().CreateClientForColdReads(), sp.GetRequiredService<StorageReadCounter>(),
            sp.GetRequiredService<Telemetry.WxShareMetrics>()));

        // No HttpClient logging: the request URIs carry secret= and access_token=.
        services.AddApiHttpClient<WeChatApiClient>("wechat", sp => sp.GetRequiredService<IOptions<WeChatOptions>>().Value.ApiBaseUrl);

        services.AddWeCom(configuration);
        services.AddPlatforms(configuration);

        services.AddSingleton(RefreshInstance.ForThisProcess());
        // Transient, as the issuers' typed HttpClients are: a singleton would keep one HttpClient for ever.
        services.AddTransient<ICredentialIssuer, OfficialAccountIssuer>();
        services.AddTransient<CredentialIssuers>();
        services.AddTransient<RefreshPolicy>();
        services.AddSingleton<RefreshSchedule>();
        services.AddTransient<CredentialRefresher>();
        services.AddTransient<ForcedTokenRefresher>();

        services.AddSingleton<PageUrlValidator>();
        services.AddSingleton<CorsOriginPolicy>();
        services.AddSingleton<SigningTicketCache>();
        services.AddSingleton<JsSdkConfigEndpoint>();
        services.AddSingleton<PageAssetEndpoint>();
        services.AddSingleton<CardTickets>();
        services.AddSingleton<HttpEdge>();
        services.AddSingleton<CardExtEndpoint>();
        services.AddSingleton<ChooseCardEndpoint>();
        services.AddWxShareOperations();
        services.AddWxShareMetrics().AddJsSdkDiagnosis(configuration);
        return services;
    }

    /// <summary>With no storage connection of its own, WxShare uses the Functions host's, in either of its forms.</summary>
    private static void FallBackToHostStorage(StorageOptions storage, IConfiguration configuration)
    {
        if (storage.HasConnectionSettings)
            return;
        var host = configuration.GetSection(StorageOptions.HostStorageSetting);
        storage.ConnectionString = host.Value ?? "";
        storage.AccountName = host["accountName"] ?? "";
        storage.TableServiceUri = host["tableServiceUri"] ?? "";
        storage.Credential = host["credential"] ?? "";
        storage.ClientId = host["clientId"] ?? "";
        storage.FromHostStorage = true;
    }

    internal static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(
        IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        return services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
    }
}
