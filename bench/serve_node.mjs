// The token service as a careful node team writes it: node:http, jsonwebtoken with the key
// parsed once into a KeyObject, one worker per core under node:cluster. For bench/serve.sh.
// Usage: node serve_node.mjs JSONWEBTOKEN_DIR KEY_PEM KID PORT
import cluster from 'node:cluster';
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import http from 'node:http';
import os from 'node:os';

const [jwtDir, keyPath, kid, port] = process.argv.slice(2);
if (cluster.isPrimary) {
  for (let i = 0; i < os.availableParallelism(); i++) cluster.fork();
  console.log(`http://127.0.0.1:${port}`);
} else {
  const jwt = createRequire(import.meta.url)(jwtDir);
  const key = createPrivateKey(readFileSync(keyPath));
  const matching = JSON.stringify({ db_id: 2, email: 'alice@example.com', matching: 'email' });
  http.createServer((req, res) => {
    const token = jwt.sign(
      { iss: 'BenchApp', exp: Math.floor(Date.now() / 1000) + 3600, rtoken: 'rt-bench', matching },
      key,
      { algorithm: 'ES384', keyid: kid, noTimestamp: true },
    );
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(token);
  }).listen(Number(port), '127.0.0.1');
}
