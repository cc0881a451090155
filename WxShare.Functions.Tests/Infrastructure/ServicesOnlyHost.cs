using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace WxShare.Functions.Tests.Infrastructure;

/// <summary>A bare host with WxShare's services over the given settings: starting it runs the start-up validation.</summary>
internal static class ServicesOnlyHost
{
    public static IHost Build(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddWxShare(builder.Configuration);
        return builder.Build();
    }
}
