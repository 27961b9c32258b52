#!/usr/bin/env bash
# Sends an SMS with twilio-cli (npm install -g twilio-cli) through a running mirra, configured only
# by `mirra env`: credentials, HTTP_PROXY (twilio-cli tunnels through it) and NODE_EXTRA_CA_CERTS.
#
#   npx mirra up --seed twilio:verified-numbers        # in another shell, from the mirra checkout
#   examples/twilio-cli/send-sms.sh [TO] [BODY]
#
# Run it from the directory the mirror runs in (`mirra env` finds it through .mirra/), or set
# MIRRA_URL to a mirror elsewhere. FROM must be a number the account owns (+15555550123 in the
# verified-numbers and verify-flow seeds).
set -euo pipefail

eval "$(npx mirra env ${MIRRA_URL:+--url "$MIRRA_URL"})"

# Keep twilio-cli from updating itself or checking npm for a newer version in the background.
export TWILIO_DISABLE_AUTOUPDATE=1 TWILIO_SKIP_NEW_VERSION_CHECK=true

twilio api:core:messages:create \
  --from "${FROM:-+15555550123}" \
  --to "${1:-+15555550199}" \
  --body "${2:-hello from twilio-cli}" \
  -o json
