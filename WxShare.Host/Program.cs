using WxShare.Configuration;
using WxShare.Host;

return BadSettingsExit.Run(() => WxShareHost.Build(args));
