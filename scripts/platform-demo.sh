#!/usr/bin/env bash
# Third-party platform demo against a running ./run.sh in sandbox mode: scripts/platform-demo.sh [AUTHORIZER_APPID]
#
# 1. asks WxShare for the authorization link of the platform "sandbox" (GET /api/platform/sandbox/authorize, key);
# 2. opens it on the sandbox's consent page as the official account AUTHORIZER_APPID (default wxa1b2c3d4e5f60001):
#    the sandbox pushes "authorized" to WxShare's event route, then redirects to …/authorized;
# 3. refreshes that account now (POST /api/ops/refresh?appId=…, key): its access token and jsapi ticket;
# 4. prints the wx.config WxShare signs for a page on the platform's domain with appId=AUTHORIZER_APPID, and checks
#    the signature independently: SHA-1 of the documented string with the ticket the sandbox holds.
# The operator key comes from WXSHARE_OPERATOR_KEY, else .azurite/operator-key (run.sh writes it). It is sent only as
# "Authorization: Bearer", through curl's standard input, never on a command line or in this script's output.
# Ports: WXSHARE_PORT (7071) and WXSHARE_SANDBOX_PORT (5081), as for run.sh (or whole base URLs in WXSHARE_URL and
# WXSHARE_SANDBOX_URL); WXSHARE_PLATFORM (sandbox) and WXSHARE_PAGE_URL (a page on the platform's domain) for another
# setup. Needs bash, curl, jq and sha1sum (or shasum).
set -euo pipefail
cd "$(dirname "$0")/.."

appid="${1:-wxa1b2c3d4e5f60001}"
base="${WXSHARE_URL:-http://127.0.0.1:${WXSHARE_PORT:-7071}}"
sandbox="${WXSHARE_SANDBOX_URL:-http://127.0.0.1:${WXSHARE_SANDBOX_PORT:-5081}}"
base="${base%/}" sandbox="${sandbox%/}"
platform="${WXSHARE_PLATFORM:-sandbox}"
page="${WXSHARE_PAGE_URL:-https://saas.example.net/shop/index.html?id=7}"
key="${WXSHARE_OPERATOR_KEY:-$(cat .azurite/operator-key 2>/dev/null || true)}"
[ -n "$key" ] || { echo "No operator key: start ./run.sh (sandbox mode) first, or set WXSHARE_OPERATOR_KEY." >&2; exit 2; }
for tool in curl jq; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed." >&2; exit 2; }
done
sha1() { if command -v sha1sum >/dev/null; then sha1sum; else shasum -a 1; fi | cut -d' ' -f1; } # macOS has only shasum

# curl with the key's header read from standard input; fails (and says why) on an HTTP error.
keyed() { # method path
  local answer
  answer="$(printf 'header = "Authorization: Bearer %s"\n' "$key" | curl -sS -X "$1" -K - -w '\n%{http_code}' "$base$2")" \
    || { echo "WxShare did not answer $1 $base$2: is ./run.sh running?" >&2; exit 1; }
  [ "${answer##*$'\n'}" -lt 400 ] || { echo "$1 $2 answered ${answer##*$'\n'}: ${answer%$'\n'*}" >&2; exit 1; }
  printf '%s\n' "${answer%$'\n'*}"
}

url="$(keyed GET "/api/platform/$platform/authorize" | jq -r .url)"
echo "1. authorization link: ${url%%\?*}?…"
redirect="$(curl -sS -o /dev/null -w '%{redirect_url}' "$url&appid=$appid")"
[ -n "$redirect" ] || { echo "The sandbox's consent page did not redirect." >&2; exit 1; }
echo "2. $appid consented; WxShare's page says: $(curl -sS "$redirect" | sed -n 's:.*<p>\(.*\)</p>.*:\1:p')"
echo "3. refreshed: $(keyed POST "/api/ops/refresh?appId=$appid" | jq -c '{appId, result}')"
config="$(curl -sS "$base/api/jssdk/config?url=$(jq -rn --arg v "$page" '$v | @uri')&appId=$appid")"
echo "4. signed for $page:"
printf '%s\n' "$config" | jq .
ticket="$(curl -sS "$sandbox/sandbox/tickets/$appid" | jq -r .ticket)"
expected="$(printf 'jsapi_ticket=%s&noncestr=%s&timestamp=%s&url=%s' "$ticket" \
  "$(jq -r .nonceStr <<<"$config")" "$(jq -r .timestamp <<<"$config")" "$page" | sha1)"
if [ "$expected" = "$(jq -r .signature <<<"$config")" ] && [ "$(jq -r .appId <<<"$config")" = "$appid" ]; then
  echo "   the signature is SHA-1 of the string to sign with $appid's ticket (read from the sandbox): it verifies."
else
  echo "   the signature does NOT verify with $appid's ticket." >&2
  exit 1
fi
