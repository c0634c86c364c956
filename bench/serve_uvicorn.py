"""The token service as a careful Python team writes it: a bare ASGI app, PyJWT with the key
parsed once, under uvicorn with one worker per core. For bench/serve.sh.

Environment: BENCH_KEY (PEM path), BENCH_KID.
"""
import json
import os
import time

import jwt
from cryptography.hazmat.primitives.serialization import load_pem_private_key

with open(os.environ["BENCH_KEY"], "rb") as f:
    KEY = load_pem_private_key(f.read(), None)
KID = os.environ["BENCH_KID"]
MATCHING = json.dumps({"db_id": 2, "email": "alice@example.com", "matching": "email"}, separators=(",", ":"))
HEADERS = [(b"content-type", b"text/plain")]


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    claims = {"iss": "BenchApp", "exp": int(time.time()) + 3600, "rtoken": "rt-bench", "matching": MATCHING}
    token = jwt.encode(claims, KEY, algorithm="ES384", headers={"kid": KID})
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": token.encode()})
