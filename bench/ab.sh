#!/usr/bin/env bash
# A/B in one run: two hosts built (Release) from two trees, e.g. the old main and a change, side by side on one Azurite
# and one sandbox, wrk alternating over them and the bare app (bench/BareKestrel); prints req/s, p99, CPU per request.
#   A=/path/to/old B=/path/to/new bench/ab.sh     (build each tree first: dotnet build WxShare.Host -c Release)
set -euo pipefail
A=${A:?A=<tree built in Release>}; B=${B:?B=<tree built in Release>}; rounds=${ROUNDS:-4}; seconds=${SECONDS_PER_RUN:-8}
cd "$(dirname "$0")/.."
pids=(); data=$(mktemp -d)
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null||true; done; wait 2>/dev/null; rm -rf $data' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq "$(( $2 * 5 ))"); do curl -fs -o /dev/null "$1" && return 0; sleep 0.2; done; return 1; }
az=$(free_port); sb=$(free_port); pa=$(free_port); pb=$(free_port); pbare=$(free_port)
node node_modules/.bin/azurite-table --tableHost 127.0.0.1 --tablePort $az --location $data --skipApiVersionCheck --silent & pids+=($!)
sleep 2
dotnet WxShare.WeChatSandbox/bin/Release/net10.0/WxShare.WeChatSandbox.dll --urls http://127.0.0.1:$sb >/dev/null & pids+=($!)
wait_for http://127.0.0.1:$sb/sandbox/calls 60
start_host() { # tree port tablename
  (cd $1 && Storage__ConnectionString="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:$az/devstoreaccount1;" \
  Storage__TableName=$3 WeChat__AppId=wx5a4d5b0c1e2f3a4b WeChat__AppSecret=sandbox0secret0not0real0000000000 WeChat__ApiBaseUrl=http://127.0.0.1:$sb \
  Signing__AllowedDomains=example.com Benchmark__Enabled=true exec dotnet WxShare.Host/bin/Release/net10.0/WxShare.Host.dll --urls http://127.0.0.1:$2 >$data/$2.log 2>&1) &
}
start_host $A $pa CredA; pida=$!; pids+=($pida)
start_host $B $pb CredB; pidb=$!; pids+=($pidb)
dotnet bench/BareKestrel/bin/Release/net10.0/BareKestrel.dll --urls http://127.0.0.1:$pbare >/dev/null 2>&1 & pidbare=$!; pids+=($pidbare)
q="/api/jssdk/config?url=https%3A%2F%2Fexample.com%2Fshare%3Fid%3D1"
wait_for http://127.0.0.1:$pa$q 90; wait_for http://127.0.0.1:$pb$q 90; wait_for http://127.0.0.1:$pbare/ 60
cpu() { awk '{ print $14 + $15 }' /proc/$1/stat; }
run() { wrk -t2 -c32 -d${2}s --latency "$1" | awk '/^ +99%/ {p99=$2} /^Requests\/sec/ {rps=$2} / requests in / {n=$1} END {print rps, p99, n}'; }
for u in "http://127.0.0.1:$pa$q" "http://127.0.0.1:$pb$q" "http://127.0.0.1:$pbare/"; do run $u 5 >/dev/null; done
declare -A total=()
echo "load: $(uptime | sed 's/.*average: //')"
for r in $(seq $rounds); do
  order="A B bare"; [ $(( r % 2 )) -eq 0 ] && order="bare B A" # reversed every other round: the machine's speed drifts
  for name in $order; do
    case $name in A) u="http://127.0.0.1:$pa$q"; p=$pida;; B) u="http://127.0.0.1:$pb$q"; p=$pidb;; bare) u="http://127.0.0.1:$pbare/"; p=$pidbare;; esac
    # the host's PID is the dotnet child of the subshell
    [ $name != bare ] && p=$(pgrep -P $p dotnet || echo $p)
    t0=$(cpu $p); read rps p99 n < <(run $u $seconds); t1=$(cpu $p)
    printf "round %s %-5s %8.0f req/s p99 %8s cpu %5.1f us/req\n" $r $name $rps $p99 $(python3 -c "print(($t1-$t0)*1e6/$(getconf CLK_TCK)/$n)")
    total[$name]=$(python3 -c "print(${total[$name]:-0} + $rps)")
  done
done
echo "load: $(uptime | sed 's/.*average: //')"
ratio() { python3 -c "print(f'{${total[$1]}/${total[$2]}:.3f}')"; }
echo "requests/s over all rounds: B/A $(ratio B A), A/bare $(ratio A bare), B/bare $(ratio B bare)"
