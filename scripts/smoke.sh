#!/usr/bin/env bash
# Smoke test of a deployed WxShare: scripts/smoke.sh https://APP [KEY]
#
# Checks, each printed as "ok" or "FAIL <check>: why":
#   health       GET /api/health is 200 and "healthy" (on failure: each account's reason and WeChat's last error,
#                e.g. 40164 with the address WeChat saw)
#   config       GET /api/jssdk/config signs a page on an allowed domain
#   diagnose     GET /api/jssdk/diagnose (key) confirms that signature against the stored ticket
#   relay        GET /api/wechat/token (key): the key is accepted (200, or 403 relay_disabled where the relay is off)
#   page-helper  GET /api/wx-share.js serves the script
# Exit 0 when every check holds; 1 naming the failed checks; 2 on bad usage. Without a key, diagnose and relay are
# skipped (said so), since they need one.
#
# KEY is the secret of a Keys__<name>__Secret whose Routes include ops, diagnose and relay (docs/keys.md). It may also
# come from WXSHARE_SMOKE_KEY (better: an argument shows in the process list). It is sent only as
# "Authorization: Bearer", through curl's standard input, so that neither the key nor a token reaches a command line,
# a URL or this script's output. With a key, health is asked for its detailed (keyed) view.
# The page signed is WXSHARE_SMOKE_PAGE_URL if set; else on the account's first allowed domain, asked of diagnose
# (with the key), else the first of WXSHARE_ALLOWED_DOMAINS (azd's environment has it).
# Needs bash, curl and jq.
set -uo pipefail

usage() { echo "usage: $0 https://YOUR-APP [KEY]   (or the key in WXSHARE_SMOKE_KEY)" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
base="${1%/}"
case "$base" in http://* | https://*) ;; *) usage ;; esac
key="${2:-${WXSHARE_SMOKE_KEY:-}}"
for tool in curl jq; do
  command -v "$tool" >/dev/null || { echo "FAIL setup: $tool is not installed." >&2; exit 2; }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
body="$work/body"
failed=()
skipped=()
ok() { echo "ok   $1: $2"; }
fail() { echo "FAIL $1: $2"; failed+=("$1"); }
skip() { echo "skip $1: $2"; skipped+=("$1"); }
enc() { jq -rn --arg v "$1" '$v | @uri'; }
field() { jq -r "$1 // empty" "$body" 2>/dev/null; }
# "error: message" of a JSON error body; never the body itself (a relay answer holds a token).
why() { local status=$1; echo "HTTP $status $(jq -r 'select(type == "object") | [.error, .message] | map(select(. != null)) | join(": ")' "$body" 2>/dev/null)"; }

# GET base+PATH into $body, printing the status; with "key" as $2 the key's headers go along. curl reads its
# options from standard input, so the key is in no process's arguments.
get() {
  local path=$1 keyed=${2:-}
  {
    printf 'url = "%s"\n' "$base$path"
    if [ "$keyed" = key ]; then
      local quoted=${key//\\/\\\\}
      quoted=${quoted//\"/\\\"}
      printf 'header = "Authorization: Bearer %s"\n' "$quoted"
    fi
  } | curl -sS --max-time 30 -o "$body" -w '%{http_code}' -K - 2>"$work/curl-error" || {
    echo 000
    return 0
  }
}

# --- health, and the account the other checks use: the first official account, else the first app.
[ -n "$key" ] && status=$(get /api/health key) || status=$(get /api/health)
account_query=""
if [ "$status" = 200 ] && [ "$(field .status)" = healthy ]; then
  ok health "healthy ($(field '.accounts | length') account(s))"
else
  # WeChat's own message for 40164 names the address it saw: the NAT gateway's, once traffic leaves through it.
  detail=$(jq -r '.accounts[]? | "  \(.name) (\(.appId)\(if .agentId then ", agentId \(.agentId)" else "" end)): \(.status): \(.reason)\(if .lastError then "\n    WeChat said (errcode \(.lastError.errcode), \(.lastError.call) call): \(.lastError.message)" else "" end)"' "$body" 2>/dev/null)
  [ "$status" = 000 ] && detail="  $(cat "$work/curl-error")"
  fail health "HTTP $status, status $(field .status || true)"
  [ -n "$detail" ] && echo "$detail"
fi
account=$(jq -c '[.accounts[]?] | (map(select(.agentId == null)) + map(select(.agentId != null))) | first // empty' "$body" 2>/dev/null)
if [ -n "$account" ]; then
  account_query="&appId=$(enc "$(jq -r .appId <<<"$account")")"
  agent=$(jq -r '.agentId // empty' <<<"$account")
  [ -n "$agent" ] && account_query+="&agentId=$(enc "$agent")"
fi

# --- the page to sign
page="${WXSHARE_SMOKE_PAGE_URL:-}"
diagnose_refused=""
if [ -z "$page" ] && [ -n "$key" ]; then
  # diagnose names the account's allowed domains even for a page off them.
  status=$(get "/api/jssdk/diagnose?url=$(enc https://wxshare-smoke.invalid/)$account_query" key)
  if [ "$status" = 200 ]; then
    domain=$(field '.account.allowedDomains' | cut -d, -f1 | tr -d ' ')
    [ -n "$domain" ] && page="https://$domain/wxshare-smoke"
  else
    diagnose_refused="$(why "$status")"
  fi
fi
if [ -z "$page" ] && [ -n "${WXSHARE_ALLOWED_DOMAINS:-}" ]; then
  page="https://$(cut -d, -f1 <<<"$WXSHARE_ALLOWED_DOMAINS" | tr -d ' ')/wxshare-smoke"
fi

# --- config, then diagnose on its signature
signature=""
if [ -z "$page" ] && [ -n "$diagnose_refused" ]; then
  fail config "no page to sign: diagnose (which names the allowed domains) refused the key; set WXSHARE_ALLOWED_DOMAINS to check config without it"
elif [ -z "$page" ]; then
  fail config "no page to sign: set WXSHARE_SMOKE_PAGE_URL or WXSHARE_ALLOWED_DOMAINS, or give a key (diagnose names the allowed domains)"
else
  status=$(get "/api/jssdk/config?url=$(enc "$page")$account_query")
  signature=$(field .signature)
  if [ "$status" = 200 ] && [ -n "$signature" ]; then
    ok config "signed $page"
  else
    fail config "$page: $(why "$status")"
    signature=""
  fi
fi
if [ -z "$key" ]; then
  skip diagnose "no key given"
elif [ -n "$diagnose_refused" ]; then
  fail diagnose "$diagnose_refused"
elif [ -z "$signature" ]; then
  fail diagnose "no signature to confirm (config failed)"
else
  timestamp=$(field .timestamp) nonce=$(field .nonceStr)
  status=$(get "/api/jssdk/diagnose?url=$(enc "$page")$account_query&signature=$(enc "$signature")&timestamp=$(enc "$timestamp")&nonceStr=$(enc "$nonce")" key)
  match=$(field .signature.match)
  if [ "$status" = 200 ] && { [ "$match" = current ] || [ "$match" = previous ]; }; then
    ok diagnose "the signature matches the $match stored ticket"
  elif [ "$status" = 200 ]; then
    fail diagnose "the signature matches no stored ticket (match: ${match:-none}): $(jq -r '[.findings[]? | .code] | join(", ")' "$body")"
  else
    fail diagnose "$(why "$status")"
  fi
fi

# --- relay: 200 with a token, or 403 relay_disabled, both after the key was accepted. The token is never shown.
if [ -z "$key" ]; then
  skip relay "no key given"
else
  status=$(get "/api/wechat/token?${account_query#&}" key)
  if [ "$status" = 200 ] && [ -n "$(field .accessToken)" ]; then
    ok relay "the key is accepted and a token is served"
  elif [ "$status" = 403 ] && [ "$(field .error)" = relay_disabled ]; then
    ok relay "the key is accepted; the relay is off for this account (403 relay_disabled)"
  else
    fail relay "$(why "$status")"
  fi
fi

# --- the page helper
status=$(get /api/wx-share.js)
if [ "$status" = 200 ] && grep -q "wx.config" "$body"; then
  ok page-helper "/api/wx-share.js served"
else
  fail page-helper "/api/wx-share.js: HTTP $status"
fi

if [ ${#failed[@]} -gt 0 ]; then
  echo "smoke: FAILED ${failed[*]} (against $base)"
  exit 1
fi
echo "smoke: all checks passed against $base${skipped[*]:+ (skipped without a key: ${skipped[*]})}"
