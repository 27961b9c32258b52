#!/usr/bin/env bash
# Runs the official SDKs' cluster tests, unchanged, against a running mirra (issue #18):
#   twilio-node   spec/cluster/test.spec.ts   (jest, with this repository's twilio and @swc/jest)
#   twilio-python tests/cluster/test_cluster.py (unittest, with Debian's /usr/bin/python3 + python3-twilio)
#
# Usage: scripts/run-cluster-tests.sh [--node DIR] [--python DIR] [--data-dir DIR] [--trust]
#   --node DIR / --python DIR  a checkout of twilio-node / twilio-python: a work tree, or a git
#                              directory without one (the file is read from its HEAD)
#   --data-dir DIR             the running mirror's data dir (for --trust; default .mirra)
#   --trust                    run `mirra trust` before the Python tests and `--uninstall` after:
#                              python3-twilio only trusts the system store (README, "Clients")
# Environment: MIRRA_URL (default http://127.0.0.1:4010), MIRRA_TOKEN when the mirror has one.
#
# The script makes a fresh session with two numbers and an API key, exports what the tests read
# (TWILIO_FROM_NUMBER, TWILIO_TO_NUMBER, TWILIO_API_KEY, TWILIO_API_SECRET, TWILIO_ACCOUNT_SID)
# and the session's `mirra env` (proxy and CA), runs each suite and prints its results. It exits
# non-zero when a suite fails.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
MIRRA_URL="${MIRRA_URL:-http://127.0.0.1:4010}"
NODE_DIR=""
PYTHON_DIR=""
DATA_DIR=".mirra"
TRUST=0
while [ $# -gt 0 ]; do
  case "$1" in
    --node) NODE_DIR="$2"; shift 2 ;;
    --python) PYTHON_DIR="$2"; shift 2 ;;
    --data-dir) DATA_DIR="$2"; shift 2 ;;
    --trust) TRUST=1; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "run-cluster-tests: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ -z "$NODE_DIR" ] && [ -z "$PYTHON_DIR" ]; then
  echo "run-cluster-tests: give --node DIR and/or --python DIR (see --help)" >&2
  exit 2
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/mirra-cluster-XXXXXX")"
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT

# A file of a checkout: from its work tree, or from HEAD of a git directory without one.
checkout_file() {
  local dir="$1" path="$2" out="$3"
  if [ -f "$dir/$path" ]; then cp "$dir/$path" "$out"
  else git --git-dir="$dir" show "HEAD:$path" > "$out"
  fi
}

control() {
  curl -sS --fail-with-body -H 'content-type: application/json' ${MIRRA_TOKEN:+-H "X-Mirra-Token: $MIRRA_TOKEN"} "$@"
}

# A fresh session: two owned numbers (the tests list >= 2 and message/call between them), an API key.
FROM_NUMBER="+15555550123"
TO_NUMBER="+15555550124"
SEED='{"seed":{"name":"sdk-cluster","numbers":[{"phoneNumber":"'$FROM_NUMBER'"},{"phoneNumber":"'$TO_NUMBER'"}]}}'
control -X POST "$MIRRA_URL/_mirra/sessions" -d "$SEED" > "$WORK/session.json"
field() { node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); process.stdout.write(String(j[process.argv[2]] ?? ""))' "$1" "$2"; }
SESSION_ID="$(field "$WORK/session.json" sessionId)"
control "$MIRRA_URL/_mirra/env?session=$SESSION_ID" > "$WORK/env.json"
# The session's `mirra env` (proxy, CA, credentials), then what the cluster tests read.
node -e '
  const env = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  for (const [k, v] of Object.entries(env)) console.log(`export ${k}=${JSON.stringify(String(v))}`);
' "$WORK/env.json" > "$WORK/env.sh"
# shellcheck disable=SC1091
. "$WORK/env.sh"
export TWILIO_FROM_NUMBER="$FROM_NUMBER" TWILIO_TO_NUMBER="$TO_NUMBER"
export TWILIO_API_KEY="$(field "$WORK/session.json" apiKeySid)"
export TWILIO_API_SECRET="$(field "$WORK/session.json" apiKeySecret)"
export TWILIO_ACCOUNT_SID="$(field "$WORK/session.json" accountSid)"
echo "run-cluster-tests: session $SESSION_ID ($TWILIO_ACCOUNT_SID) on $MIRRA_URL"

STATUS=0

if [ -n "$NODE_DIR" ]; then
  mkdir -p "$WORK/node"
  checkout_file "$NODE_DIR" spec/cluster/test.spec.ts "$WORK/node/test.spec.ts"
  cat > "$WORK/node/jest.config.js" <<EOF
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['**/test.spec.ts'],
  transform: { '^.+\\\\.ts\$': ['$ROOT/node_modules/@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }] },
  modulePaths: ['$ROOT/node_modules'],
};
EOF
  echo "run-cluster-tests: twilio-node spec/cluster/test.spec.ts (unchanged)"
  (cd "$WORK/node" && node "$ROOT/node_modules/jest/bin/jest.js" --config jest.config.js --verbose --colors=false) || STATUS=1
fi

if [ -n "$PYTHON_DIR" ]; then
  mkdir -p "$WORK/python"
  checkout_file "$PYTHON_DIR" tests/cluster/test_cluster.py "$WORK/python/test_cluster.py"
  LOCK="${TMPDIR:-/tmp}/mirra-system-trust.lock"
  untrust() {
    if [ "$TRUST" = 1 ]; then
      node "$ROOT/bin/mirra.js" trust --data-dir "$DATA_DIR" --uninstall || true
      rm -rf "$LOCK"
    fi
    cleanup
  }
  if [ "$TRUST" = 1 ]; then
    # The lock the repository's tests take before changing the system trust store.
    until mkdir "$LOCK" 2>/dev/null; do sleep 1; done
    echo $$ > "$LOCK/pid"
    trap untrust EXIT
    node "$ROOT/bin/mirra.js" trust --data-dir "$DATA_DIR"
  fi
  echo "run-cluster-tests: twilio-python tests/cluster/test_cluster.py (unchanged)"
  (cd "$WORK/python" && PYTHONDONTWRITEBYTECODE=1 PYTHONWARNINGS=ignore::ResourceWarning /usr/bin/python3 -m unittest -v test_cluster) || STATUS=1
fi

exit "$STATUS"
