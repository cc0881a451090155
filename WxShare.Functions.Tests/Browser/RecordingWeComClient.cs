namespace WxShare.Functions.Tests.Browser;

/// <summary>
/// A stand-in for the WeCom client under WeCom's real JS-SDK (@wecom/jssdk, from node_modules): the SDK reaches the
/// client only through <c>WeixinJSBridge.invoke(name, params, callback)</c>, which a browser lacks. Injected before any
/// page script, so the SDK finds it ready. It records every call (<c>__wecom.invoked</c>) and answers
/// <c>&lt;name&gt;:ok</c>, or what a test sets in <c>__wecom.failWith[name]</c>, as the client's <c>err_msg</c>.
/// Which calls the SDK makes (preVerifyJSAPI for wx.config, agentConfig for wx.agentConfig) is the SDK's own decision,
/// from the client version in the user agent (<c>wxwork/x.y.z</c>).
/// </summary>
internal static class RecordingWeComClient
{
    public const string Script = """
        window.__wecom = { invoked: [], failWith: {} };
        window.WeixinJSBridge = {
          invoke: function (name, params, callback) {
            var r = window.__wecom;
            r.invoked.push({ name: name, params: JSON.parse(JSON.stringify(params)) });
            setTimeout(function () { callback({ err_msg: r.failWith[name] || name + ':ok' }); }, 0);
          },
          on: function () { }
        };
        """;
}
