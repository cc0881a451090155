/*!
 * wx-share.js: sets a page's WeChat share card, signed by WxShare. No dependencies.
 *
 *   <script src="https://YOUR-WXSHARE/api/wx-share.js"></script>
 *   WxShare.share({ title: '…', desc: '…', imgUrl: 'https://…/card.png' })
 *     .catch(function (e) { console.error(e.message); });
 *
 * A WeCom (企业微信) app's page loads WeCom's ww SDK (@wecom/jssdk) and lets WxShare sign for it:
 *   WxShare.register({ corpId: 'ww…', agentId: 1000002, jsApiList: ['selectExternalContact'] })
 *
 * As an ES module: import { share, register } from 'https://YOUR-WXSHARE/api/wx-share.mjs';
 * Options, single-page apps and errors: see WxShare's README.
 */
(function (root) {
  'use strict';

  var JWEIXIN_URLS = ['https://res.wx.qq.com/open/js/jweixin-1.6.0.js', 'https://res2.wx.qq.com/open/js/jweixin-1.6.0.js'];
  var SHARE_APIS = ['updateAppMessageShareData', 'updateTimelineShareData'];
  var CONFIG_PATH = '/api/jssdk/config';
  var REPORT_PATH = '/api/jssdk/report';
  var PREFIX = '[wx-share] ';

  // iOS WeChat checks the signature against the URL the page was first loaded with, so remember it now. The
  // navigation entry is the document's own first URL even when this script loads after the app has navigated.
  var navigation = root.performance && root.performance.getEntriesByType && root.performance.getEntriesByType('navigation')[0];
  var landingUrl = withoutHash(navigation && navigation.name ? navigation.name : root.location.href);
  var currentScript = root.document && root.document.currentScript;

  var jweixinLoading = null;
  var pending = null;       // the share() whose wx.config WeChat is checking: wx.error belongs to it
  var errorHooked = false;
  var reported = false;     // wx.error is reported once per page
  var lastOptions = null;   // for automatic re-signing
  var lastPageUrl = null;
  var historyHooked = false;

  function withoutHash(url) {
    var at = url.indexOf('#');
    return at < 0 ? url : url.slice(0, at);
  }

  function isIos() {
    var ua = root.navigator.userAgent || '';
    // iPadOS may present itself as a Mac; only the touch screen tells them apart.
    return /\b(iPhone|iPad|iPod)\b/i.test(ua) || (/\bMacintosh\b/.test(ua) && root.navigator.maxTouchPoints > 1);
  }

  /** The URL WeChat will check: the landing URL on iOS, the current one elsewhere; never the #fragment. */
  function urlToSign() {
    return isIos() ? landingUrl : withoutHash(root.location.href);
  }

  function failure(code, message, extra) {
    var error = { code: code, message: message };
    for (var key in extra || {}) error[key] = extra[key];
    return error;
  }

  function baseUrl(options) {
    var endpoint = options.endpoint || WxShare.scriptUrl;
    if (!endpoint)
      throw failure('endpoint_missing', 'WxShare needs the option endpoint: the base URL of your WxShare service, e.g. https://wxshare.example.com.');
    var base = new URL(endpoint, root.location.href);
    // The script's own URL (…/api/wx-share.js) names the service too.
    var path = base.pathname.replace(/\/api(\/[^/]*)?\/?$/, '').replace(/\/+$/, '');
    return base.origin + path;
  }

  function warn(options, message) {
    root.console.warn(PREFIX + message);
    if (typeof options.onWarning === 'function') options.onWarning(message);
  }

  function checkShareData(options, link) {
    var image;
    try { image = new URL(options.imgUrl); } catch (e) { image = null; }
    if (!image || image.protocol !== 'https:')
      warn(options, "imgUrl '" + options.imgUrl + "' is not an absolute https URL: WeChat may show the card without its image. "
        + 'Use a full https:// address of a small image (under about 100 KB).');
    var linkSite = siteOf(new URL(link).hostname);
    var pageSite = siteOf(root.location.hostname);
    if (linkSite !== pageSite)
      warn(options, "link '" + link + "' is not on this page's domain (" + pageSite + '): WeChat accepts only links on the '
        + "account's JS-safe domains (JS接口安全域名), so the share may fail or show the page's own URL. If " + linkSite
        + ' is one of them, ignore this warning.');
  }

  /** The registrable domain, near enough: m.example.com → example.com, www.example.com.cn → example.com.cn. */
  function siteOf(host) {
    if (/^[\d.]+$/.test(host) || host.indexOf(':') >= 0) return host;
    var labels = host.split('.');
    var keep = labels.length > 2 && /^[a-z]{2}$/.test(labels[labels.length - 1])
      && /^(com|net|org|gov|edu|co|ac)$/.test(labels[labels.length - 2]) ? 3 : 2;
    return labels.slice(-keep).join('.');
  }

  function loadJweixin() {
    if (root.wx) return Promise.resolve(root.wx);
    if (jweixinLoading) return jweixinLoading;
    jweixinLoading = new Promise(function (resolve, reject) {
      function attempt(i) {
        if (i >= JWEIXIN_URLS.length) {
          jweixinLoading = null;
          reject(failure('jweixin_unavailable', 'Could not load the WeChat JS-SDK from ' + JWEIXIN_URLS.join(' or ')
            + ': check the network and any Content-Security-Policy (script-src) on this page.'));
          return;
        }
        var script = root.document.createElement('script');
        script.src = JWEIXIN_URLS[i];
        script.onload = function () { root.wx ? resolve(root.wx) : attempt(i + 1); };
        script.onerror = function () { script.remove(); attempt(i + 1); };
        root.document.head.appendChild(script);
      }
      attempt(0);
    });
    return jweixinLoading;
  }

  var SERVICE_HINTS = {
    domain_not_allowed: "Add the page's domain to its account's allowed domains in WxShare (Signing__AllowedDomains, or Accounts__<name>__AllowedDomains).",
    url_not_encoded: 'This is a bug in the caller: the page URL must be sent percent-encoded.',
    url_encoded_twice: 'This is a bug in the caller: the page URL must be encoded exactly once.',
    ticket_unavailable: "WxShare has no valid jsapi_ticket: operators should check its refresh log (AppSecret, IP whitelist).",
    storage_unavailable: 'WxShare cannot read its credential store: try again shortly; operators should check Table Storage.'
  };

  function requestConfig(options, url) {
    var base = baseUrl(options);
    var address = base + CONFIG_PATH + '?url=' + encodeURIComponent(url) + (options.appId ? '&appId=' + encodeURIComponent(options.appId) : '')
      + (options.agentId ? '&agentId=' + encodeURIComponent(options.agentId) : '');
    return root.fetch(address, { credentials: 'omit', cache: 'no-store' }).then(function (response) {
      return response.text().then(function (text) {
        var body = null;
        try { body = JSON.parse(text); } catch (e) { /* not JSON: reported below */ }
        if (response.ok && body && body.signature) return body;
        if (body && body.error)
          throw failure(body.error, 'WxShare refused to sign ' + url + ' (HTTP ' + response.status + ', ' + body.error + '): '
            + body.message + (SERVICE_HINTS[body.error] ? ' ' + SERVICE_HINTS[body.error] : ''), { status: response.status });
        throw failure('wxshare_bad_response', 'WxShare answered HTTP ' + response.status + ' without a signed config at ' + address
          + ': check that the option endpoint (' + base + ') is the WxShare service.', { status: response.status });
      });
    }, function () {
      throw failure('wxshare_unreachable', 'Could not reach WxShare at ' + base + ': check the option endpoint, and that '
        + "this page's domain is in WxShare's setting Signing__AllowedDomains or Accounts__<name>__AllowedDomains (which also grants CORS).");
    });
  }

  function explainWxError(errMsg, url) {
    var text = String(errMsg || '');
    if (/invalid signature/i.test(text))
      return "WeChat rejected the signature (" + text + "). WeChat checked it against this page's URL; WxShare signed " + url
        + '. Check: the URL WeChat sees is exactly that (scheme and host behind a proxy, no encoding), the appId is the account whose '
        + 'ticket WxShare holds, and no other server refreshes that account\'s token.';
    if (/invalid url domain/i.test(text))
      return 'WeChat rejected the domain (' + text + "): add '" + root.location.hostname + "' to the account's JS-safe domains "
        + '(JS接口安全域名) in the WeChat admin panel (domain only, no port other than 80/443).';
    if (/permission denied/i.test(text))
      return 'WeChat denied permission (' + text + '): the API is missing from jsApiList, or the account is not verified for it.';
    if (/offline verifying/i.test(text))
      return 'WeChat has not verified the page yet (' + text + '): a JS-SDK call was made before wx.ready, or wx.config failed.';
    return 'WeChat reported an error (' + text + '): check the wx.config fields and the account settings.';
  }

  function reportToService(options, base, config, errMsg) {
    if (reported || options.reportEndpoint === false) return;
    reported = true;
    var target = typeof options.reportEndpoint === 'string' ? options.reportEndpoint : base + REPORT_PATH;
    var report = { errMsg: String(errMsg || ''), url: config.url, appId: config.appId, userAgent: root.navigator.userAgent };
    // The signed values the page used, so that WxShare can say which stored ticket (if any) made the signature.
    ['agentId', 'signatureOf', 'timestamp', 'nonceStr', 'signature'].forEach(function (key) {
      if (config[key] !== undefined && config[key] !== null) report[key] = config[key];
    });
    var body = JSON.stringify(report);
    // Best effort: a WxShare without the report route answers 404, which changes nothing for the page.
    try {
      // Read the answer (WxShare's diagnosis): Chromium ends a fetch only once its body is read; unread, the report
      // stays pending in DevTools.
      root.fetch(target, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: body, credentials: 'omit', keepalive: true })
        .then(function (response) { return response.text(); })
        .catch(function () { });
    } catch (e) { /* never let reporting break the page */ }
  }

  function hookWxError(wx) {
    if (errorHooked) return;
    errorHooked = true;
    wx.error(function (res) {
      var errMsg = res && res.errMsg;
      var call = pending;
      pending = null;
      if (!call) {
        root.console.error(PREFIX + explainWxError(errMsg, ''));
        return;
      }
      reportToService(call.options, call.base, call.config, errMsg);
      call.reject(failure('wx_config_failed', explainWxError(errMsg, call.config.url), { errMsg: errMsg }));
    });
  }

  function setShareData(wx, options, link) {
    function call(api, data) {
      return new Promise(function (resolve, reject) {
        data.success = function () { resolve(); };
        data.fail = function (res) {
          reject(failure('share_data_failed', 'wx.' + api + ' failed (' + (res && res.errMsg) + '): check that it is in jsApiList '
            + 'and that the link is on a JS-safe domain.', { errMsg: res && res.errMsg }));
        };
        wx[api](data);
      });
    }
    return Promise.all([
      call('updateAppMessageShareData', { title: options.title, desc: options.desc || '', link: link, imgUrl: options.imgUrl }),
      call('updateTimelineShareData', { title: options.title, link: link, imgUrl: options.imgUrl })
    ]);
  }

  function configure(wx, options, base, body, url) {
    var jsApiList = SHARE_APIS.concat((options.jsApiList || []).filter(function (api) { return SHARE_APIS.indexOf(api) < 0; }));
    // Exactly the signed values: WeChat recomputes the signature from timestamp and nonceStr.
    var config = { appId: body.appId, timestamp: body.timestamp, nonceStr: body.nonceStr, signature: body.signature, jsApiList: jsApiList };
    if (options.openTagList) config.openTagList = options.openTagList;
    if (options.debug !== undefined) config.debug = !!options.debug;
    if (typeof options.onConfig === 'function') options.onConfig({ url: url, config: config });
    return new Promise(function (resolve, reject) {
      var call = { options: options, base: base, reject: reject,
        config: { url: url, appId: body.appId, timestamp: body.timestamp, nonceStr: body.nonceStr, signature: body.signature } };
      pending = call;
      hookWxError(wx);
      wx.config(config);
      wx.ready(function () {
        if (pending !== call) return; // failed already, or superseded by a newer share()
        pending = null;
        resolve(config);
      });
    });
  }

  function share(options) {
    options = options || {};
    return new Promise(function (resolve) {
      if (!options.title) throw failure('invalid_options', 'WxShare.share needs the option title.');
      var base = baseUrl(options);
      var url = urlToSign();
      var link = withoutHash(root.location.href);
      if (options.link) {
        try { link = new URL(options.link, root.location.href).href; } catch (e) {
          throw failure('invalid_options', "The option link '" + options.link + "' is not a URL.");
        }
      }
      checkShareData(options, link);
      lastOptions = options;
      lastPageUrl = withoutHash(root.location.href);
      if (options.resignOnNavigation) hookHistory();
      resolve(loadJweixin().then(function (wx) {
        return requestConfig(options, url).then(function (body) {
          return configure(wx, options, base, body, url);
        }).then(function (config) {
          var shareData = { title: options.title, desc: options.desc || '', link: link, imgUrl: options.imgUrl };
          return setShareData(wx, options, link).then(function () {
            return { url: url, config: config, shareData: shareData };
          });
        });
      }));
    });
  }

  // Single-page apps: after a route change the page URL (and on Android the URL WeChat checks) is new, so sign again.
  function resign() {
    var page = withoutHash(root.location.href);
    if (!lastOptions || !lastOptions.resignOnNavigation || page === lastPageUrl) return;
    var options = lastOptions;
    share(options).then(options.onResigned, function (error) {
      root.console.error(PREFIX + error.message);
      if (typeof options.onError === 'function') options.onError(error);
    });
  }

  function hookHistory() {
    if (historyHooked) return;
    historyHooked = true;
    ['pushState', 'replaceState'].forEach(function (name) {
      var original = root.history[name];
      root.history[name] = function () {
        var result = original.apply(this, arguments);
        resign();
        return result;
      };
    });
    root.addEventListener('popstate', resign);
  }

  // WeCom apps: WeCom's ww SDK (@wecom/jssdk) calls wx.config and wx.agentConfig itself, when and as often as it
  // needs, and asks the page for each signature through a callback. WxShare's one answer carries both.
  function register(options) {
    options = options || {};
    return new Promise(function (resolve) {
      var ww = options.ww || root.ww;
      if (!options.corpId)
        throw failure('invalid_options', "WxShare.register needs the option corpId: the CorpID (ww…) of the app's corp, "
          + 'as in WxShare\'s setting Accounts__<name>__CorpId.');
      if (!/^\d+$/.test(String(options.agentId === undefined ? '' : options.agentId)))
        throw failure('invalid_options', "WxShare.register needs the option agentId: the app's AgentId, digits such as 1000002 "
          + '(Accounts__<name>__AgentId)' + (options.agentId === undefined ? '.' : ", not '" + options.agentId + "'."));
      if (!ww || typeof ww.register !== 'function' || typeof ww.ensureConfigReady !== 'function')
        throw failure('ww_unavailable', "WxShare.register needs WeCom's JS-SDK @wecom/jssdk (2.x): load it first (it defines ww), "
          + "or pass it as the option ww (import * as ww from '@wecom/jssdk').");
      var base = baseUrl(options);
      var app = { endpoint: base, appId: options.corpId, agentId: String(options.agentId) };
      var inFlight = {};   // per URL: when ww asks for both signatures at once, one request answers both
      var signedUrl = null;
      var signedBody = null;   // the route's last answer: its signatures go with a report

      function signed(url) {
        // ww passes the URL its client checks; sign exactly that, without the #fragment.
        url = withoutHash(url || urlToSign());
        signedUrl = url;
        if (!inFlight[url]) {
          var request = inFlight[url] = requestConfig(app, url);
          request.then(function (body) { signedBody = body; }, function () { });
          var forget = function () { if (inFlight[url] === request) delete inFlight[url]; };
          request.then(forget, forget);
        }
        return inFlight[url];
      }

      function failed(call, pageHook) {
        return function (error) {
          var readable = weComFailure(error, signedUrl);
          // WeCom's own verdict on a signature is worth an operator's look, as wx.error is; WxShare's refusals it already knows.
          if (readable.code === 'wecom_config_failed') {
            var used = (call === 'agentConfig' ? signedBody && signedBody.agentConfig : signedBody) || {};
            reportToService(options, base, { url: signedUrl, appId: app.appId, agentId: app.agentId, signatureOf: call,
              timestamp: used.timestamp, nonceStr: used.nonceStr, signature: used.signature }, readable.errMsg);
          }
          if (typeof pageHook === 'function') pageHook(readable);
        };
      }

      // ww.register's own options pass through (jsApiList, openTagList, on…Success, on…Complete); WxShare's are left out.
      var registration = {};
      for (var key in options)
        if (['ww', 'endpoint', 'reportEndpoint'].indexOf(key) < 0) registration[key] = options[key];
      registration.agentId = app.agentId;
      registration.getConfigSignature = function (url) {
        return signed(url).then(function (body) {
          return { timestamp: body.timestamp, nonceStr: body.nonceStr, signature: body.signature };
        });
      };
      registration.getAgentConfigSignature = function (url) {
        return signed(url).then(function (body) {
          // A request naming agentId is answered for that WeCom app or refused, so agentConfig is there.
          var agent = body.agentConfig;
          return { timestamp: agent.timestamp, nonceStr: agent.nonceStr, signature: agent.signature };
        });
      };
      registration.onConfigFail = failed('config', options.onConfigFail);
      registration.onAgentConfigFail = failed('agentConfig', options.onAgentConfigFail);
      ww.register(registration);

      // Outside WeCom and WeChat, ww configures nothing (and ensureConfigReady would wait for a client that is not there).
      if (ww.env && !ww.env.isWeCom && !ww.env.isWeChat)
        throw failure('not_in_wecom', 'ww configures a page only inside WeCom (or WeChat), so nothing was signed in this browser. '
          + 'Open the page in WeCom, on one of the app\'s trusted domains.');
      resolve(ww.ensureConfigReady().then(function (ready) {
        return { url: signedUrl, params: ready.params, result: ready.result };
      }, function (error) {
        throw weComFailure(error, signedUrl);
      }));
    });
  }

  /** ww rejects with WxShare's own {code, message} (from a signature callback), WeCom's {errMsg}, or an SDK Error. */
  function weComFailure(error, url) {
    if (error && error.code && error.message) return error;
    if (error && error.errMsg) return failure('wecom_config_failed', explainWeComError(error.errMsg, url), { errMsg: error.errMsg });
    return failure('ww_failed', 'ww did not configure this page (' + (error && error.message || error) + ').');
  }

  function explainWeComError(errMsg, url) {
    var text = String(errMsg || '');
    var call = /^agentConfig/i.test(text) ? 'agentConfig' : 'config';
    if (/invalid signature/i.test(text))
      return 'WeCom rejected the ' + call + ' signature (' + text + "). WeCom checked it against this page's URL; WxShare signed " + url
        + ' with the ' + (call === 'agentConfig' ? "app's agent ticket" : "corp's jsapi_ticket") + '. Check: the URL WeCom sees is exactly '
        + 'that (scheme and host behind a proxy), and corpId and agentId name the app whose Secret WxShare holds '
        + '(Accounts__<name>__CorpId, __AgentId).';
    if (/reliable domain|80001/i.test(text))
      return 'WeCom rejected the domain (' + text + "): add '" + root.location.hostname + "' to the app's trusted domains (可信域名) "
        + 'in the WeCom admin console (with its port, if not 80/443).';
    if (/function not exist/i.test(text))
      return 'This client cannot run ' + call + ' (' + text + '): wx.agentConfig needs WeCom 2.5.0 or later, and runs neither in WeChat '
        + 'nor in the developer tools.';
    if (/permission denied/i.test(text))
      return 'WeCom denied permission (' + text + '): the API is missing from jsApiList, or the app may not use it.';
    return 'WeCom reported an error (' + text + "): check corpId, agentId, jsApiList and the app's settings in the WeCom admin console.";
  }

  var WxShare = {
    share: share,
    register: register,
    /** The URL this page would be signed with now. */
    urlToSign: urlToSign,
    explainWxError: explainWxError,
    explainWeComError: explainWeComError,
    /** Where this script was loaded from: the default endpoint. */
    scriptUrl: currentScript && currentScript.src ? currentScript.src : null
  };
  root.WxShare = WxShare;
})(typeof window !== 'undefined' ? window : globalThis);
