#!/usr/bin/env bash
# acjwt against its peers, in one run on this machine, timed by hyperfine:
#   - batch: `acjwt mint --batch` of N ES384 tokens (all cores, and one thread) against PyJWT
#     and node jose doing the same work in one process (bench/pyjwt_batch.py, jose_batch.mjs);
#   - single: one `acjwt mint` against `jwt encode` (jwt-cli) and the openssl recipe
#     (bench/openssl_mint.sh);
#   - keygen: `acjwt keygen` (ES384, RS256 3072-bit) against openssl's.
# Prints mean times, tokens/s and ratios (peer time / acjwt time; above 1 means acjwt is faster).
#
# Usage: bench/compare.sh            (sizes 1000 10000 100000)
#        SIZES="1000 10000" bench/compare.sh
#        ACJWT_CARGO_FLAGS=--no-default-features bench/compare.sh   (the pure-Rust build)
# Needs: hyperfine (apt-get install hyperfine), openssl, python3, node/npm; installs PyJWT and
# jose into target/peers/ (scripts/provision-peers.sh) and jwt-cli into target/bench-tools/
# (cargo install; slow the first time, skipped with a note if it fails).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

SIZES=${SIZES:-"1000 10000 100000"}
ALG=ES384
work="$root/target/bench-compare"
tools="$root/target/bench-tools"
rm -rf "$work"
mkdir -p "$work" "$tools"

command -v hyperfine >/dev/null || { echo "error: hyperfine is not on PATH (apt-get install hyperfine)" >&2; exit 2; }

echo "== building acjwt (release) and provisioning peers" >&2
# shellcheck disable=SC2086 # ACJWT_CARGO_FLAGS is a list of flags, e.g. --no-default-features
cargo build --release --quiet ${ACJWT_CARGO_FLAGS:-}
acjwt="$root/target/release/acjwt"
scripts/provision-peers.sh 2>/dev/null
python="$root/target/peers/venv/bin/python"
jose="$root/target/peers/node/node_modules/jose"

jwt_cli=""
if [ -x "$tools/bin/jwt" ]; then
  jwt_cli="$tools/bin/jwt"
else
  echo "== cargo install jwt-cli into $tools (one-off, a few minutes)" >&2
  if cargo install --quiet --locked jwt-cli --root "$tools" >"$work/jwt-cli-install.log" 2>&1; then
    jwt_cli="$tools/bin/jwt"
  else
    echo "note: cargo install jwt-cli failed (see $work/jwt-cli-install.log); skipping it" >&2
  fi
fi

cd "$work"
"$acjwt" keygen --alg "$ALG" --private key.sec1 --public key.pub >/dev/null
openssl pkcs8 -topk8 -nocrypt -in key.sec1 -out key.p8.pem  # jwt-cli reads a key as PEM only when the name ends in .pem
echo "rt-bench" > rtoken
export ACJWT_KEY="$work/key.sec1" ACJWT_ISS=BenchApp ACJWT_RTOKEN=rt-bench

largest=$(printf '%s\n' $SIZES | sort -n | tail -1)
"$python" - "$largest" <<'EOF'
import json, sys
with open("all.jsonl", "w") as f:
    for n in range(1, int(sys.argv[1]) + 1):
        f.write(json.dumps({"db_id": n % 50 + 1, "email": f"user{n}@example.com", "matching": "email"},
                           separators=(",", ":")) + "\n")
EOF

# mean seconds of the hyperfine export $1, command $2 (0-based)
mean() { "$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["mean"])' "$1" "$2"; }
results="$work/results.tsv"
: > "$results"
record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$results"; }  # section name n seconds

cores=$(nproc)
for n in $SIZES; do
  head -n "$n" all.jsonl > "in-$n.jsonl"
  runs=$(( n >= 100000 ? 2 : (n >= 10000 ? 3 : 10) ))
  echo "== batch of $n $ALG tokens ($runs runs each)" >&2
  hyperfine --style basic -N --warmup 1 --runs "$runs" --export-json "batch-$n.json" \
    -n "acjwt ($cores threads)" "$acjwt mint --batch in-$n.jsonl" \
    -n "acjwt (1 thread)" "$acjwt mint --batch in-$n.jsonl --threads 1" \
    -n "PyJWT" "$python $root/bench/pyjwt_batch.py key.sec1 in-$n.jsonl $ALG" \
    -n "node jose" "node $root/bench/jose_batch.mjs $jose key.p8.pem in-$n.jsonl $ALG" \
    >&2
  i=0
  for name in "acjwt ($cores threads)" "acjwt (1 thread)" "PyJWT" "node jose"; do
    record batch "$name" "$n" "$(mean "batch-$n.json" $i)"
    i=$((i + 1))
  done
done

echo "== one token" >&2
matching='{"db_id":2,"email":"registered_db@localhost","matching":"email_profile"}'
single=(-n "acjwt mint" "$acjwt mint --matching '$matching'"
        -n "openssl recipe" "$root/bench/openssl_mint.sh key.sec1")
if [ -n "$jwt_cli" ]; then
  claims="{\"rtoken\":\"rt-bench\",\"matching\":$(printf '%s' "$matching" | "$python" -c 'import json,sys; print(json.dumps(sys.stdin.read()))')}"
  single+=(-n "jwt-cli" "$jwt_cli encode --alg $ALG --secret @key.p8.pem --iss BenchApp --exp=+1h '$claims'")
fi
hyperfine --style basic -N --warmup 20 --min-runs 200 --export-json single.json "${single[@]}" >&2
names=("acjwt mint" "openssl recipe")
[ -n "$jwt_cli" ] && names+=("jwt-cli")
i=0
for name in "${names[@]}"; do record single "$name" 1 "$(mean single.json $i)"; i=$((i + 1)); done

echo "== keygen" >&2
hyperfine --style basic -N --warmup 3 --min-runs 30 --export-json keygen-ec.json \
  -n "acjwt keygen ES384" "$acjwt keygen --alg ES384 --force --private k.key --public k.pub" \
  -n "openssl ES384" "openssl ecparam -name secp384r1 -genkey -noout -out o.key" >&2
hyperfine --style basic -N --warmup 2 --min-runs 15 --export-json keygen-rsa.json \
  -n "acjwt keygen RS256 3072" "$acjwt keygen --alg RS256 --bits 3072 --force --private k.key --public k.pub" \
  -n "openssl RSA 3072" "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out o.key" >&2
record keygen-ec "acjwt keygen ES384" 1 "$(mean keygen-ec.json 0)"
record keygen-ec "openssl ES384" 1 "$(mean keygen-ec.json 1)"
record keygen-rsa "acjwt keygen RS256 3072" 1 "$(mean keygen-rsa.json 0)"
record keygen-rsa "openssl RSA 3072" 1 "$(mean keygen-rsa.json 1)"

# The criterion single-thread sign rate, when `cargo bench --bench crypto` has run.
case "${ACJWT_CARGO_FLAGS:-}" in *no-default-features*) backend=rustcrypto ;; *) backend=aws-lc ;; esac
estimate="$root/target/criterion/sign_${backend}_${ALG}/new/estimates.json"

echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "acjwt $("$acjwt" --version | cut -d' ' -f2), $("$python" -c 'import jwt, cryptography; print(f"PyJWT {jwt.__version__} (cryptography {cryptography.__version__})")'),"\
  "node jose $(node -p "require('$jose/package.json').version"), $(openssl version | cut -d' ' -f1-2)${jwt_cli:+, $("$jwt_cli" --version)}"
"$python" - "$results" "$cores" "$estimate" <<'EOF'
import json, os, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
cores, estimate = int(sys.argv[2]), sys.argv[3]
per_op = json.load(open(estimate))["mean"]["point_estimate"] / 1e9 if os.path.exists(estimate) else None
def section(name):
    return [(who, int(n), float(s)) for sec, who, n, s in rows if sec == name]
print("\n| batch (ES384) | tokens | mean time | tokens/s | peer time / acjwt time |")
print("|---|---:|---:|---:|---:|")
for size in sorted({n for _, n, _ in section("batch")}):
    group = [r for r in section("batch") if r[1] == size]
    base = group[0][2]
    for who, n, s in group:
        print(f"| {who} | {n} | {s*1000:.1f} ms | {n/s:,.0f} | {s/base:.2f} |")
    if per_op:
        limit = cores / per_op
        print(f"| limit: {cores} cores x criterion sign rate ({1/per_op:,.0f}/s) | {size} | | {limit:,.0f} | "
              f"acjwt at {base and (size/base)/limit*100:.0f}% of it |")
for name, title in [("single", "one token"), ("keygen-ec", "keygen EC P-384"), ("keygen-rsa", "keygen RSA 3072")]:
    group = section(name)
    if not group:
        continue
    base = group[0][2]
    print(f"\n| {title} | mean time | peer time / acjwt time |")
    print("|---|---:|---:|")
    for who, _, s in group:
        print(f"| {who} | {s*1000:.2f} ms | {s/base:.2f} |")
EOF
