namespace WxShare.Functions.Tests.Browser;

/// <summary>
/// A stand-in for jweixin, injected before any page script runs: outside WeChat the real one does nothing. It records
/// every call, and answers wx.config with wx.ready, or with wx.error when a test sets <c>__wx.failWith</c>.
/// </summary>
internal static class RecordingWx
{
    public const string Script = """
        window.__wx = { configs: [], appMessage: [], timeline: [], readyFns: [], errorFns: [], failWith: null };
        window.__installRecordingWx = function () {
          var r = window.__wx;
          function copy(data) { return { title: data.title, desc: data.desc, link: data.link, imgUrl: data.imgUrl }; }
          window.wx = {
            config: function (c) {
              r.configs.push(JSON.parse(JSON.stringify(c)));
              setTimeout(function () {
                if (r.failWith) r.errorFns.forEach(function (f) { f({ errMsg: r.failWith }); });
                else r.readyFns.splice(0).forEach(function (f) { f(); });
              }, 0);
            },
            ready: function (f) { r.readyFns.push(f); },
            error: function (f) { r.errorFns.push(f); },
            updateAppMessageShareData: function (d) { r.appMessage.push(copy(d)); d.success && d.success({ errMsg: 'updateAppMessageShareData:ok' }); },
            updateTimelineShareData: function (d) { r.timeline.push(copy(d)); d.success && d.success({ errMsg: 'updateTimelineShareData:ok' }); }
          };
        };
        """;

    /// <summary>Installs the recording wx at once, as if jweixin were already on the page.</summary>
    public const string Injected = Script + "\nwindow.__installRecordingWx();";
}
