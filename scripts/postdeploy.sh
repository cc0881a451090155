#!/usr/bin/env bash
# azd's postdeploy hook (azure.yaml): smoke-test the deployed app, then say which address goes on WeChat's IP
# whitelist (and WeCom's trusted IPs) and where. azd passes its environment's values (the Bicep outputs, and
# anything set with `azd env set`) as environment variables. Exits with the smoke test's status.
set -uo pipefail
cd "$(dirname "$0")/.."

base="${WXSHARE_URL:-${WXSHARE_CONFIG_URL%/api/jssdk/config}}"
# The key: WXSHARE_SMOKE_KEY (azd env set WXSHARE_SMOKE_KEY …), else the operator key's secret that provisioning put
# in Key Vault (WXSHARE_OPERATOR_KEY, Keys__operator__Secret). Azure's function keys open nothing: every function is
# anonymous to the host and WxShare checks its own keys. Kept in the environment, never on a command line or in the output.
export WXSHARE_SMOKE_KEY="${WXSHARE_SMOKE_KEY:-${WXSHARE_OPERATOR_KEY:-}}"

echo "Smoke test of $base:"
scripts/smoke.sh "$base"
smoke=$?

echo
ip="${WECHAT_IP_WHITELIST_ADDRESS:-}"
if [ -z "$ip" ]; then
  echo "No fixed outbound address (staticOutboundIp is off): WeChat's IP whitelist must be switched off for this account."
else
  echo "WeChat calls leave through the NAT gateway's address $ip. Add it to the IP whitelist:"
  echo "  Official account (mp.weixin.qq.com): 设置与开发 → 基本配置 → IP白名单 → 修改 → add $ip on a line of its own → 确认修改 (the administrator confirms by scanning)."
  # WeCom apps only where health lists one (an account with an agentId).
  wecom=$(curl -sS --max-time 30 "$base/api/health" 2>/dev/null | jq -r '[.accounts[]? | select(.agentId != null) | "\(.name) (CorpId \(.appId), AgentId \(.agentId))"] | join(", ")' 2>/dev/null)
  if [ -n "$wecom" ]; then
    echo "  WeCom apps $wecom (work.weixin.qq.com): 应用管理 → the app → 开发者接口 → 企业可信IP → 配置 → add $ip, for each app."
  fi
  echo "  Until then every refresh fails with 40164 (WeCom: 60020), whose message names the address WeChat saw; that must be $ip."
  echo "  WxShare then waits Refresh__ConfigurationErrorBackoffMinutes (30) before trying again: run scripts/smoke.sh $base again after that."
fi
exit "$smoke"
