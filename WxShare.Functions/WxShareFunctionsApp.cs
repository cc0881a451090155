using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace WxShare.Functions;

public static class WxShareFunctionsApp
{
    /// <param name="configure">Lets tests add settings before the services read them.</param>
    public static IHost Build(string[] args, Action<IConfigurationBuilder>? configure = null)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        configure?.Invoke(builder.Configuration);
        builder.ConfigureFunctionsWebApplication();
        builder.Services.AddWxShare(builder.Configuration);
        return builder.Build();
    }
}
