#!/usr/bin/env bash
# The openssl recipe for one ES384 mSDK token, as a shell script would do it without acjwt:
# base64url header and payload, `openssl dgst -sign`, then the DER signature turned into the
# r||s that JWS needs (RFC 7518 §3.4). Usage: openssl_mint.sh SEC1_OR_PKCS8_KEY
set -euo pipefail
key=$1
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
exp=$(( $(date +%s) + 3600 ))
header=$(printf '%s' '{"alg":"ES384","typ":"JWT"}' | b64url)
payload=$(printf '{"iss":"BenchApp","exp":%s,"rtoken":"rt-bench","matching":"{\\"db_id\\":2,\\"email\\":\\"registered_db@localhost\\",\\"matching\\":\\"email_profile\\"}"}' "$exp" | b64url)
# asn1parse prints the two INTEGERs r and s in hex; each is left-padded to 48 bytes.
rs=$(printf '%s' "$header.$payload" | openssl dgst -sha384 -sign "$key" \
  | openssl asn1parse -inform DER | awk -F: '/INTEGER/ { printf "%096s", $NF }' | tr ' ' 0)
signature=$(printf '%s' "$rs" | basenc --base16 -d | b64url)
printf '%s.%s.%s\n' "$header" "$payload" "$signature"
