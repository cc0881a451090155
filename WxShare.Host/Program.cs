using WxShare.Host;

WxShareHost.Build(args).Run();
