using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace WxShare.Functions.Tests.Infrastructure;

/// <summary>A request whose query cannot be read: stands in for any bug or unforeseen failure inside the endpoint.</summary>
internal sealed class BrokenQueryFeature : IQueryFeature
{
    public const string Message = "simulated failure inside the endpoint";

    public IQueryCollection Query
    {
        get => throw new InvalidOperationException(Message);
        set { }
    }
}
