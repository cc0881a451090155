using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using WxShare.Diagnosis;

namespace WxShare.Functions;

public sealed class FieldReportFunction(FieldReportEndpoint endpoint)
{
    [Function("JsSdkReport")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", "options", Route = FieldReportEndpoint.Route)] HttpRequest request) =>
        endpoint.HandleAsync(request, request.HttpContext.RequestAborted);
}
