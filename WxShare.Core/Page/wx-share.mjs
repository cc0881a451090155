// wx-share.js as an ES module: import { share, register } from 'https://YOUR-WXSHARE/api/wx-share.mjs';
import './wx-share.js';

const WxShare = globalThis.WxShare;
// A module has no document.currentScript: the service that serves this file is the default endpoint.
WxShare.scriptUrl = WxShare.scriptUrl || new URL('./wx-share.js', import.meta.url).href;

export const share = WxShare.share;
export const register = WxShare.register;
export default WxShare;
