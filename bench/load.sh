#!/usr/bin/env bash
# Load on the signing route of the standalone host (Release) against Azurite and the WeChat sandbox, against the floor:
# a bare Kestrel app (bench/BareKestrel) answering the same JSON shape with nothing of WxShare. The host's own
# /bench/trivial (same host, same middleware, a constant body) is measured too: it tells the edge's cost from the
# signing's. Counts WeChat calls and Table Storage reads during the load.
#   bench/load.sh            signing, trivial and bare, alternating ROUNDS times (wrk -t2 -c32, SECONDS_PER_RUN each),
#                            every other round in reverse order
#   bench/load.sh --outage   storage up for 30 s under load, then Azurite stopped for 30 s under load, then restarted
#   bench/load.sh --perf     Linux perf samples of the host under signing load and of the bare app under its load (CPU
#                            stacks, .NET frames named through perf maps), compared per request by bench/perf-diff.py:
#                            where the signing route's CPU goes beyond the bare app's. Needs root (or perf_event_paranoid <= 1)
#   bench/load.sh --profile  a sampled thread-time trace of the host (dotnet-trace) during 10 s of signing load, and its
#                            heaviest frames (bench/top-frames.py); the .nettrace is kept in bench/profiles/
# Everything listens on free loopback ports and is stopped on exit. Needs .NET 10, Node 20; installs wrk if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-ab}"
rounds="${ROUNDS:-2}"
seconds="${SECONDS_PER_RUN:-8}"
cache_seconds="${CACHE_SECONDS:-5}"
outage_seconds=30
pids=()
azurite_pid=""
data=$(mktemp -d)

stop_all() {
  trap - INT TERM EXIT
  [ -n "$azurite_pid" ] && kill "$azurite_pid" 2>/dev/null || true
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$data"
}
trap stop_all INT TERM EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { # url, seconds
  for _ in $(seq "$(( $2 * 5 ))"); do curl -fs -o /dev/null "$1" && return 0; sleep 0.2; done
  return 1
}
start_azurite() {
  node node_modules/.bin/azurite-table --tableHost 127.0.0.1 --tablePort "$azurite_port" --location "$data" \
    --skipApiVersionCheck --silent &
  azurite_pid=$!
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$azurite_port") 2>/dev/null && return 0; sleep 0.2; done
  echo "Azurite did not start." >&2; exit 1
}
stop_azurite() { kill "$azurite_pid"; wait "$azurite_pid" 2>/dev/null || true; azurite_pid=""; }

if ! command -v wrk >/dev/null; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get install -y -qq wrk >/dev/null || { $sudo apt-get update -qq && $sudo apt-get install -y -qq wrk >/dev/null; }
fi
[ -x node_modules/.bin/azurite-table ] || npm ci --no-audit --no-fund --loglevel=error
dotnet build WxShare.Host -c Release -nologo -v quiet
dotnet build WxShare.WeChatSandbox -c Release -nologo -v quiet
dotnet build bench/BareKestrel -c Release -nologo -v quiet
# perf names JIT-compiled frames through /tmp/perf-<pid>.map, which needs code written where it runs (no W^X double mapping).
perf_env=(); [ "$mode" = "--perf" ] && perf_env=(env DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0)

azurite_port=$(free_port); sandbox_port=$(free_port); host_port=$(free_port); bare_port=$(free_port)
start_azurite
sandbox="http://127.0.0.1:$sandbox_port"
dotnet WxShare.WeChatSandbox/bin/Release/net10.0/WxShare.WeChatSandbox.dll --urls "$sandbox" >/dev/null &
pids+=($!)
wait_for "$sandbox/sandbox/calls" 60 || { echo "The WeChat sandbox did not start." >&2; exit 1; }

# Started from the repository root on purpose: the host must find its own appsettings.json.
Storage__ConnectionString="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:$azurite_port/devstoreaccount1;" \
WeChat__AppId=wx5a4d5b0c1e2f3a4b WeChat__AppSecret=sandbox0secret0not0real0000000000 WeChat__ApiBaseUrl="$sandbox" \
Signing__AllowedDomains=example.com Signing__TicketCacheSeconds="$cache_seconds" Benchmark__Enabled=true \
  "${perf_env[@]}" dotnet WxShare.Host/bin/Release/net10.0/WxShare.Host.dll --urls "http://127.0.0.1:$host_port" >"$data/host.log" 2>&1 &
pids+=($!)
host_pid=$!
base="http://127.0.0.1:$host_port"
signing="$base/api/jssdk/config?url=https%3A%2F%2Fexample.com%2Fshare%3Fid%3D1"
trivial="$base/bench/trivial"
wait_for "$signing" 60 || { echo "WxShare signed nothing: see $data/host.log" >&2; cat "$data/host.log" >&2; exit 1; }
bare="http://127.0.0.1:$bare_port/"
"${perf_env[@]}" dotnet bench/BareKestrel/bin/Release/net10.0/BareKestrel.dll --urls "$bare" >/dev/null 2>&1 &
pids+=($!)
bare_pid=$!
wait_for "$bare" 60 || { echo "The bare Kestrel app did not start." >&2; exit 1; }

# CPU time (user + system, in clock ticks) the process has used so far: per request, it is far less sensitive than
# requests/s to the other work on a shared machine.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# wrk's summary as: requests/s p50(ms) p99(ms) failed(non-2xx + socket errors) requests
run_wrk() { # url, seconds
  wrk -t2 -c32 -d"$2s" --latency "$1" | awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /^Requests\/sec/ { rps = $2 } / requests in / { requests = $1 }
    /Non-2xx/ { failed += $NF } /Socket errors/ { gsub(/,/, ""); failed += $4 + $6 + $8 + $10 }
    END { printf "%.0f %.3f %.3f %d %d\n", rps, p50, p99, failed, requests }'
}
counts() { echo "wechat=$(curl -fs "$sandbox/sandbox/calls" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])') reads=$(curl -fs "$base/bench/storage-reads")"; }

# Warm-up, not counted: the first seconds run tier-0 code (JIT tiering), which made round 1 of signing an outlier.
run_wrk "$signing" 5 >/dev/null
run_wrk "$trivial" 5 >/dev/null
run_wrk "$bare" 5 >/dev/null
echo "machine: $(nproc) cores, $(uptime | sed 's/.*load average/load average/')"
read -r wechat_before reads_before < <(counts | sed 's/[a-z]*=//g')
started=$(date +%s)

if [ "$mode" = "--profile" ]; then
  command -v dotnet-trace >/dev/null || { dotnet tool install -g dotnet-trace >/dev/null; export PATH="$PATH:$HOME/.dotnet/tools"; }
  mkdir -p bench/profiles
  trace="bench/profiles/signing-$(date -u +%Y%m%dT%H%M%SZ)"
  run_wrk "$signing" 14 >/dev/null &
  wrk_pid=$!
  sleep 2
  # Thread stacks sampled at ~100 Hz (the kernel's CPU sampling needs collect-linux and root); waits are dropped below.
  dotnet-trace collect -p "$host_pid" --profile dotnet-sampled-thread-time --format Speedscope --duration 00:00:00:10 \
    -o "$trace.nettrace" >/dev/null
  wait "$wrk_pid"
  python3 bench/top-frames.py "$trace.speedscope.json"
elif [ "$mode" = "--perf" ]; then
  command -v perf >/dev/null || { sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo; $sudo apt-get install -y -qq linux-perf >/dev/null; }
  mkdir -p bench/profiles
  out="bench/profiles/perf-$(date -u +%Y%m%dT%H%M%SZ)"
  hz=999; sampled=8
  for route in signing bare; do
    url=${!route}; pid=$host_pid; [ "$route" = bare ] && pid=$bare_pid
    run_wrk "$url" $(( sampled + 6 )) >"$out-$route.wrk" &
    wrk_pid=$!
    sleep 3
    perf record -F $hz -g -p "$pid" -o "$out-$route.data" -- sleep $sampled >/dev/null 2>&1
    wait "$wrk_pid"
    perf script -i "$out-$route.data" -F comm,tid,ip,sym,dso 2>/dev/null >"$out-$route.txt"
  done
  python3 bench/perf-diff.py "$out-signing.txt" "$(cut -d' ' -f1 "$out-signing.wrk")" "$out-bare.txt" "$(cut -d' ' -f1 "$out-bare.wrk")" $hz $sampled 30
  echo "samples kept in $out-*.txt"
elif [ "$mode" = "--outage" ]; then
  read -r rps p50 p99 failed _ < <(run_wrk "$signing" "$outage_seconds")
  printf '%-22s %10s req/s  p50 %7s ms  p99 %7s ms  failed %s\n' "signing, storage up" "$rps" "$p50" "$p99" "$failed"
  base_p99=$p99
  stop_azurite
  read -r rps p50 p99 failed _ < <(run_wrk "$signing" "$outage_seconds")
  printf '%-22s %10s req/s  p50 %7s ms  p99 %7s ms  failed %s\n' "signing, storage DOWN" "$rps" "$p50" "$p99" "$failed"
  start_azurite
  sleep "$(( cache_seconds + 2 ))"
  read -r rps2 p50b p99b failed2 _ < <(run_wrk "$signing" 10)
  printf '%-22s %10s req/s  p50 %7s ms  p99 %7s ms  failed %s\n' "signing, storage back" "$rps2" "$p50b" "$p99b" "$failed2"
  echo "failed requests during the ${outage_seconds} s outage: $failed"
  echo "p99 during the outage / p99 with storage up: $(python3 -c "print(f'{$p99/$base_p99:.2f}')")"
  grep -E "cannot be read|answers again" "$data/host.log" | cut -c1-160 || true
else
  declare -A sum_rps=() sum_p99=() sum_ticks=() sum_requests=()
  for round in $(seq "$rounds"); do
    # Every other round in reverse order: the machine's speed drifts (a VM with busy neighbours), and a fixed order would
    # hand that drift to whichever route comes last.
    order="signing trivial bare"; [ $(( round % 2 )) -eq 0 ] && order="bare trivial signing"
    for route in $order; do
      url=${!route}; pid=$host_pid; [ "$route" = bare ] && pid=$bare_pid
      ticks_before=$(cpu_ticks "$pid")
      read -r rps p50 p99 failed requests < <(run_wrk "$url" "$seconds")
      ticks=$(( $(cpu_ticks "$pid") - ticks_before ))
      printf 'round %s %-8s %10s req/s  p50 %7s ms  p99 %7s ms  failed %s  server CPU %5.1f us/request\n' "$round" "$route" "$rps" "$p50" "$p99" "$failed" \
        "$(python3 -c "print($ticks * 1e6 / $(getconf CLK_TCK) / max($requests, 1))")"
      sum_rps[$route]=$(( ${sum_rps[$route]:-0} + rps ))
      sum_p99[$route]=$(python3 -c "print(${sum_p99[$route]:-0} + $p99)")
      sum_ticks[$route]=$(( ${sum_ticks[$route]:-0} + ticks )); sum_requests[$route]=$(( ${sum_requests[$route]:-0} + requests ))
    done
  done
  echo "load average after: $(uptime | sed 's/.*load average: //')"
  ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
  echo "signing / bare requests/s: $(ratio "${sum_rps[signing]}" "${sum_rps[bare]}")   (target >= 0.90)"
  echo "signing / bare p99:        $(ratio "${sum_p99[signing]}" "${sum_p99[bare]}")   (target <= 1.25)"
  echo "trivial / bare requests/s: $(ratio "${sum_rps[trivial]}" "${sum_rps[bare]}")   (the host's edge alone)"
  echo "trivial / bare p99:        $(ratio "${sum_p99[trivial]}" "${sum_p99[bare]}")"
  cpu() { python3 -c "print(f'{${sum_ticks[$1]} * 1e6 / $(getconf CLK_TCK) / ${sum_requests[$1]}:.1f}')"; }
  echo "server CPU per request: signing $(cpu signing) us, trivial $(cpu trivial) us, bare $(cpu bare) us"
fi

elapsed=$(( $(date +%s) - started ))
read -r wechat_after reads_after < <(counts | sed 's/[a-z]*=//g')
echo "WeChat calls during the load: $((wechat_after - wechat_before))"
echo "Table Storage reads during the load: $((reads_after - reads_before)) in ${elapsed} s (cache period ${cache_seconds} s: at most $(( elapsed / cache_seconds + 1 )) for the one account)"
