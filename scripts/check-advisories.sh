#!/usr/bin/env bash
# Checks Cargo.lock (and fuzz/Cargo.lock) against a RustSec advisory-db checkout with
# cargo-deny, offline: the build machines cannot fetch the database, so the test command
# leaves advisories out and this script is run by hand wherever a copy of the database is at
# hand (`git clone https://github.com/rustsec/advisory-db`).
#
#   scripts/check-advisories.sh /path/to/advisory-db
#
# Exit 0 when the only findings are the ones deny.toml's [advisories] ignore list accepts,
# each with its reason (RUSTSEC-2023-0071 in `rsa`; see the README's Security section).
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: scripts/check-advisories.sh /path/to/advisory-db" >&2; exit 2; }
db=$1
[ -d "$db/crates" ] || { echo "error: $db is not an advisory-db checkout (no crates/ folder)" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# cargo-deny looks for the database under db-path, in a folder named after its URL's hash.
url=https://github.com/rustsec/advisory-db
mkdir -p "$work/db"
ln -s "$(cd "$db" && pwd)" "$work/db/advisory-db-3157b0e258782691"
# The [advisories] table of deny.toml, with where the database is (awk: portable, unlike a
# newline in a sed replacement).
awk -v db="$work/db" -v url="$url" '
  { print }
  /^\[advisories\][[:space:]]*(#.*)?$/ { printf "db-path = \"%s\"\ndb-urls = [\"%s\"]\n", db, url; found = 1 }
  END { if (!found) exit 1 }
' "$root/deny.toml" >"$work/deny.toml" || { echo "error: deny.toml has no [advisories] table" >&2; exit 2; }
echo "advisory-db at $(git -C "$db" log -1 --format='%h, %cs' 2>/dev/null || echo 'unknown revision')" >&2
status=0
for manifest in "$root/Cargo.toml" "$root/fuzz/Cargo.toml"; do
    echo "== ${manifest#"$root"/}" >&2
    cargo deny --offline --manifest-path "$manifest" --config "$work/deny.toml" check advisories || status=$?
done
exit "$status"
