"""PyJWT doing what `acjwt mint --batch` does, in one process: parse the key once, then for
each input line parse the matching object, build the claims and sign. Single-threaded, as a
Python service would run it. Usage: python pyjwt_batch.py KEY.pem INPUT.jsonl ALG > tokens"""
import json
import sys
import time

import jwt
from cryptography.hazmat.primitives.serialization import load_pem_private_key

key_path, input_path, alg = sys.argv[1], sys.argv[2], sys.argv[3]
with open(key_path, "rb") as f:
    key = load_pem_private_key(f.read(), password=None)
exp = int(time.time()) + 3600
out = []
with open(input_path) as lines:
    for line in lines:
        matching = json.dumps(json.loads(line), separators=(",", ":"), sort_keys=True)
        claims = {"iss": "BenchApp", "exp": exp, "rtoken": "rt-bench", "matching": matching}
        out.append(jwt.encode(claims, key, algorithm=alg))
        if len(out) == 1024:
            sys.stdout.write("\n".join(out) + "\n")
            out.clear()
sys.stdout.write("".join(t + "\n" for t in out))
