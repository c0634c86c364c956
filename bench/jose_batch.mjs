// node jose doing what `acjwt mint --batch` does, in one process: import the key once, then
// for each input line parse the matching object, build the claims and sign. Signatures go
// through WebCrypto, which node runs on its libuv thread pool, so 256 are kept in flight at
// once to let jose use every core. Usage: node jose_batch.mjs JOSE_DIR KEY.p8 INPUT.jsonl ALG
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createReadStream } from 'node:fs';

const [joseDir, keyPath, inputPath, alg] = process.argv.slice(2);
const { SignJWT, importPKCS8 } = await import(`${joseDir}/dist/webapi/index.js`);
const key = await importPKCS8(readFileSync(keyPath, 'utf8'), alg);
const exp = Math.floor(Date.now() / 1000) + 3600;

const sign = (line) => {
  const object = JSON.parse(line);
  const sorted = Object.fromEntries(Object.keys(object).sort().map((k) => [k, object[k]]));
  return new SignJWT({ rtoken: 'rt-bench', matching: JSON.stringify(sorted) })
    .setProtectedHeader({ alg, typ: 'JWT' })
    .setIssuer('BenchApp')
    .setExpirationTime(exp)
    .sign(key);
};

let pending = [];
const flush = async () => {
  const tokens = await Promise.all(pending);
  pending = [];
  process.stdout.write(tokens.join('\n') + '\n');
};
for await (const line of createInterface({ input: createReadStream(inputPath) })) {
  pending.push(sign(line));
  if (pending.length === 256) await flush();
}
if (pending.length) await flush();
