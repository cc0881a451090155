#!/usr/bin/env bash
# Load on the signing endpoint of a running ./run.sh (sandbox mode), and proof that it cost WeChat nothing.
# Needs wrk (apt-get install wrk). Sends traffic to 127.0.0.1 only, for a bounded time.
set -euo pipefail
base="${1:-http://127.0.0.1:7071}"
sandbox="${2:-http://127.0.0.1:5081}"
seconds="${SECONDS_OF_LOAD:-15}"
url="$base/api/jssdk/config?url=https%3A%2F%2Fexample.com%2Fshare%3Fid%3D1"

curl -fs -o /dev/null "$url" || { echo "No signed config at $url: start ./run.sh first." >&2; exit 1; }
echo "WeChat calls before: $(curl -fs "$sandbox/sandbox/calls")"
wrk -t2 -c32 -d"${seconds}s" --latency "$url"
echo "WeChat calls after:  $(curl -fs "$sandbox/sandbox/calls")"
