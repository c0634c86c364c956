#!/usr/bin/env bash
# Installs the independent programs acjwt's interop tests run against, into target/peers/
# (or $ACJWT_PEERS_DIR): PyJWT with cryptography, selenium and zxing-cpp (which reads the
# page's QR codes back) in a venv, and node's jose in an npm folder. The page tests drive
# Debian's chromium and chromium-driver, installed here when missing (as root; otherwise it
# asks for them). The openssl CLI must already be on PATH.
# Idempotent: a second run only checks.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
peers="${ACJWT_PEERS_DIR:-$root/target/peers}"
mkdir -p "$peers"

fail() { echo "error: $*" >&2; exit 1; }

command -v openssl >/dev/null || fail "the openssl CLI is not on PATH (apt-get install openssl)"
command -v python3 >/dev/null || fail "python3 is not on PATH"
command -v npm >/dev/null || fail "npm is not on PATH (apt-get install nodejs npm)"

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  [ "$(id -u)" = 0 ] || fail "the page tests need Debian's chromium and chromium-driver (sudo apt-get install chromium chromium-driver)"
  echo "installing chromium and chromium-driver" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi

if ! "$peers/venv/bin/python" -c 'import jwt, cryptography, selenium, zxingcpp' 2>/dev/null; then
  echo "provisioning PyJWT + cryptography + selenium + zxing-cpp into $peers/venv" >&2
  python3 -m venv "$peers/venv"
  "$peers/venv/bin/pip" install --quiet --disable-pip-version-check \
    'PyJWT==2.15.1' 'cryptography==50.0.2' 'selenium==4.51.0' 'zxing-cpp==3.1.1'
fi

if [ ! -f "$peers/node/node_modules/jose/package.json" ]; then
  echo "provisioning node jose into $peers/node" >&2
  mkdir -p "$peers/node"
  (cd "$peers/node" && [ -f package.json ] || echo '{"private":true,"type":"module"}' > package.json)
  npm install --prefix "$peers/node" --no-audit --no-fund --loglevel=error 'jose@6.2.18'
fi

"$peers/venv/bin/python" -c 'import jwt, cryptography, selenium, zxingcpp; print("PyJWT", jwt.__version__, "cryptography", cryptography.__version__, "selenium", selenium.__version__, "zxing-cpp ok")' >&2
/usr/bin/chromium --version >&2
/usr/bin/chromedriver --version >&2
node -e "import('$peers/node/node_modules/jose/dist/webapi/index.js').then(() => console.error('node jose', require('$peers/node/node_modules/jose/package.json').version))"
openssl version >&2
