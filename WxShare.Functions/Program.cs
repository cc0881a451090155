using WxShare.Configuration;
using WxShare.Functions;

return BadSettingsExit.Run(() => WxShareFunctionsApp.Build(args));
