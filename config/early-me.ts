/**
 * H5 first screen (docs/performance.md, "H5 first screen on Fast 3G"): index.html asks for `me` while the
 * app's JS is still downloading, so home's data no longer waits for the bundle and then for another round
 * trip. This builds that inline script. With a saved session whose token is fresh, it POSTs
 * /rest/v1/rpc/me exactly as the app would and leaves `{ token, answer }` on `window.__jifenEarlyMe`; the app
 * adopts the answer once, for the same token (src/platform/early.ts, src/services/member.ts), and otherwise
 * asks itself. No session, a stale token, no localStorage or a failed request: the script does nothing that
 * matters and the app asks as before. ES5, no dependencies: it runs before anything else.
 */
// The app's own names for these (Taro loads config/ without compiling src/, so they are repeated here;
// config/early-me.test.ts runs the script with the app's values, so the two cannot drift apart)
const SESSION_STORAGE_KEY = 'jifen.session' // src/domain/session.ts
const RENEW_BEFORE_SECONDS = 60 // src/domain/session.ts
const EARLY_ME_GLOBAL = '__jifenEarlyMe' // src/platform/early.ts

export function earlyMeScript(apiUrl: string, anonKey: string): string {
  const url = `${apiUrl.replace(/\/+$/, '')}/rest/v1/rpc/me`
  return `(function(){try{
var s=JSON.parse(localStorage.getItem(${JSON.stringify(SESSION_STORAGE_KEY)})||'null');
if(!s||typeof s.accessToken!=='string'||!(s.expiresAt-${RENEW_BEFORE_SECONDS}>Date.now()/1000))return;
window.${EARLY_ME_GLOBAL}={token:s.accessToken,answer:fetch(${JSON.stringify(url)},{method:'POST',headers:{apikey:${JSON.stringify(anonKey)},Authorization:'Bearer '+s.accessToken,'Content-Type':'application/json'},body:'{}'})
.then(function(r){return r.ok?r.json():null})['catch'](function(){return null})};
}catch(e){}})()`
}
