using Microsoft.Extensions.Hosting;
using WxShare.Functions;

WxShareFunctionsApp.Build(args).Run();
