using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using WxShare.Diagnosis;

namespace WxShare.Functions;

public sealed class JsSdkDiagnoseFunction(JsSdkDiagnoseEndpoint endpoint)
{
    [Function("JsSdkDiagnose")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = JsSdkDiagnoseEndpoint.Route)] HttpRequest request) =>
        endpoint.HandleAsync(request, request.HttpContext.RequestAborted);
}
