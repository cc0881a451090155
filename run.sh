#!/usr/bin/env bash
# Quick start: Azurite + (WeChat sandbox unless a real AppSecret is set) + the standalone WxShare host.
# Ctrl-C stops everything this script started.
set -euo pipefail
cd "$(dirname "$0")"

HOST_PORT="${WXSHARE_PORT:-7071}"
SANDBOX_URL="http://127.0.0.1:${WXSHARE_SANDBOX_PORT:-5081}"
AZURITE_PORT=10002
BIN=bin/Debug/net10.0
pids=()

stop_all() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "Stopped everything run.sh started."
}
trap stop_all INT TERM EXIT

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_for() { # url, seconds
  for _ in $(seq "$(( $2 * 5 ))"); do curl -fs -o /dev/null "$1" && return 0; sleep 0.2; done
  return 1
}

[ -x node_modules/.bin/azurite-table ] || npm ci --no-audit --no-fund --loglevel=error
dotnet build WxShare.Host -nologo -v quiet
dotnet build WxShare.WeChatSandbox -nologo -v quiet

if port_open "$AZURITE_PORT"; then
  echo "Something already listens on 127.0.0.1:$AZURITE_PORT; using it as Azurite's table service."
else
  mkdir -p .azurite
  node node_modules/.bin/azurite-table --tableHost 127.0.0.1 --tablePort "$AZURITE_PORT" \
    --location .azurite --skipApiVersionCheck --silent &
  pids+=($!)
  # The host's first refresh tick needs the table: wait for Azurite rather than log an outage at start-up.
  for _ in $(seq 300); do port_open "$AZURITE_PORT" && break; sleep 0.2; done
  port_open "$AZURITE_PORT" || { echo "Azurite did not start on 127.0.0.1:$AZURITE_PORT." >&2; exit 1; }
fi
export Storage__ConnectionString="${Storage__ConnectionString:-UseDevelopmentStorage=true}"

sandbox_mode=
[ -z "${WeChat__AppSecret:-}" ] && sandbox_mode=1
if [ -n "$sandbox_mode" ]; then
  # One sandbox third-party platform (docs/platform.md), with the sandbox's PlatformSandboxDefaults, on a domain apart
  # from the account's, so that pages on example.com and localhost are signed by that account exactly as without it.
  export Platforms__sandbox__ComponentAppId=wxc0e1a2b3c4d5e6f7 \
         Platforms__sandbox__ComponentAppSecret=sandbox0component0secret000000000 \
         Platforms__sandbox__Token=sandboxplatformtoken \
         Platforms__sandbox__EncodingAESKey=sandbox0platform0encoding0aes0key0not0real0
  export Platforms__sandbox__AllowedDomains="${Platforms__sandbox__AllowedDomains:-saas.example.net}"
  export Sandbox__Platform__EventUrl="http://127.0.0.1:$HOST_PORT/api/platform/sandbox/events"
  # An operator key (routes ops) for this session, unless one is given; scripts/platform-demo.sh reads it from the file.
  Keys__operator__Secret="${Keys__operator__Secret:-${WXSHARE_OPERATOR_KEY:-}}"
  [ -n "$Keys__operator__Secret" ] || Keys__operator__Secret="$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')"
  export Keys__operator__Secret
  export Keys__operator__Routes="${Keys__operator__Routes:-ops}" Keys__operator__Accounts="${Keys__operator__Accounts:-*}"
  mkdir -p .azurite
  (umask 077 && printf '%s\n' "$Keys__operator__Secret" > .azurite/operator-key)

  (cd WxShare.WeChatSandbox/$BIN && exec dotnet WxShare.WeChatSandbox.dll --urls "$SANDBOX_URL") &
  pids+=($!)
  wait_for "$SANDBOX_URL/sandbox/calls" 30 || { echo "The WeChat sandbox did not start." >&2; exit 1; }
  export WeChat__AppId=wx5a4d5b0c1e2f3a4b WeChat__AppSecret=sandbox0secret0not0real0000000000 WeChat__ApiBaseUrl="$SANDBOX_URL"
  export Signing__AllowedDomains="${Signing__AllowedDomains:-example.com,localhost}"
  # A table of its own, so that sandbox credentials never sit beside real ones.
  export Storage__TableName="${Storage__TableName:-WxShareSandboxCredentials}"
  echo "=============================================================================="
  echo "  SANDBOX MODE - THESE ARE NOT REAL WECHAT CREDENTIALS."
  echo "  WeChat__AppSecret is not set, so WxShare talks to a local fake WeChat at"
  echo "  $SANDBOX_URL. Its signatures do not work in a real WeChat client;"
  echo "  set WeChat__AppId, WeChat__AppSecret and Signing__AllowedDomains for real ones."
  echo "=============================================================================="
fi

(cd WxShare.Host/$BIN && exec dotnet WxShare.Host.dll --urls "http://127.0.0.1:$HOST_PORT") &
pids+=($!)

base="http://127.0.0.1:$HOST_PORT"
example="$base/api/jssdk/config?url=https%3A%2F%2Fexample.com%2Fshare%3Fid%3D1"
wait_for "$base/healthz" 60 || { echo "WxShare did not start: see its log above." >&2; exit 1; }
if [ -n "$sandbox_mode" ]; then
  # WeChat pushes a verify ticket every 10 minutes; the sandbox's push at its start came before the host was up.
  curl -fs -o /dev/null -X POST "$SANDBOX_URL/sandbox/platform/push-ticket" || echo "The sandbox did not push a verify ticket: see its log above."
fi
wait_for "$example" 30 || echo "WxShare is up but has no ticket yet: see the refresh log above."
echo
echo "WxShare is running at $base"
echo "Try:  curl '$example'"
if [ -n "$sandbox_mode" ]; then
  echo "Platform: sandbox (authorizers sign pages on $Platforms__sandbox__AllowedDomains); try: scripts/platform-demo.sh"
  # The key itself is not printed (terminals are logged and shared): it is in a file only this user can read.
  echo "Operator key for this session (routes ops): in .azurite/operator-key; send it as 'Authorization: Bearer \$(cat .azurite/operator-key)'"
fi
echo "Demo: http://localhost:$HOST_PORT/api/demo   (the share helper on a page; sharing itself works only inside WeChat)"
echo "Press Ctrl-C to stop."
wait
