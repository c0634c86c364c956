"""PyJWT as an independent peer for tests/peers.rs.

    pyjwt_peer.py verify ALG KEYFILE TOKEN      -> {"header": ..., "payload": ...} on stdout
    pyjwt_peer.py sign ALG KEYFILE CLAIMS [KID] -> the compact token on stdout

KEYFILE is whatever PyJWT itself accepts: PEM (PKCS#8, SEC1, PKCS#1, SPKI) or a JWK (JSON, read
with PyJWK). Every failure is a non-zero exit with PyJWT's own message on stderr.
"""

import json
import sys

import jwt


def load_key(path, alg):
    data = open(path, "rb").read()
    if data.lstrip().startswith(b"{"):
        return jwt.PyJWK(json.loads(data), algorithm=alg).key
    return data


def main():
    command, alg, key_path = sys.argv[1:4]
    key = load_key(key_path, alg)
    if command == "verify":
        token = sys.argv[4]
        payload = jwt.decode(
            token,
            key,
            algorithms=[alg],
            options={"require": ["exp", "iss"]},
        )
        header = jwt.get_unverified_header(token)
        print(json.dumps({"header": header, "payload": payload}))
    elif command == "sign":
        claims = json.loads(sys.argv[4])
        headers = {"kid": sys.argv[5]} if len(sys.argv) > 5 else None
        print(jwt.encode(claims, key, algorithm=alg, headers=headers))
    else:
        sys.exit(f"unknown command {command}")


main()
