#!/usr/bin/env bash
# Installs the independent programs acjwt's interop tests run against, into target/peers/
# (or $ACJWT_PEERS_DIR): PyJWT with cryptography in a venv, and node's jose in an npm folder.
# The openssl CLI must already be on PATH. Idempotent: a second run only checks.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
peers="${ACJWT_PEERS_DIR:-$root/target/peers}"
mkdir -p "$peers"

fail() { echo "error: $*" >&2; exit 1; }

command -v openssl >/dev/null || fail "the openssl CLI is not on PATH (apt-get install openssl)"
command -v python3 >/dev/null || fail "python3 is not on PATH"
command -v npm >/dev/null || fail "npm is not on PATH (apt-get install nodejs npm)"

if ! "$peers/venv/bin/python" -c 'import jwt, cryptography' 2>/dev/null; then
  echo "provisioning PyJWT + cryptography into $peers/venv" >&2
  python3 -m venv "$peers/venv"
  "$peers/venv/bin/pip" install --quiet --disable-pip-version-check \
    'PyJWT==2.15.1' 'cryptography==50.0.2'
fi

if [ ! -f "$peers/node/node_modules/jose/package.json" ]; then
  echo "provisioning node jose into $peers/node" >&2
  mkdir -p "$peers/node"
  (cd "$peers/node" && [ -f package.json ] || echo '{"private":true,"type":"module"}' > package.json)
  npm install --prefix "$peers/node" --no-audit --no-fund --loglevel=error 'jose@6.2.18'
fi

"$peers/venv/bin/python" -c 'import jwt, cryptography; print("PyJWT", jwt.__version__, "cryptography", cryptography.__version__)' >&2
node -e "import('$peers/node/node_modules/jose/dist/webapi/index.js').then(() => console.error('node jose', require('$peers/node/node_modules/jose/package.json').version))"
openssl version >&2
