// node jose as an independent peer for tests/peers.rs.
//
//   node jose_peer.mjs JOSE_INDEX verify ALG KEYFILE TOKEN      -> {"header", "payload"}
//   node jose_peer.mjs JOSE_INDEX sign ALG KEYFILE CLAIMS [KID] -> the compact token
//   node jose_peer.mjs JOSE_INDEX export-jwk ALG KEYFILE [KID]  -> {"private", "public"} JWKs
//
// Keys are read with jose's own importers only (importPKCS8, importSPKI, importJWK), so a
// format jose cannot read fails here as it would for a jose user. KEYFILE prefixed with
// "node-crypto:" is read with node:crypto's createPrivateKey instead, the documented way to
// hand jose a key in another PEM format (SEC1, PKCS#1).
import { readFileSync } from "node:fs";
import { createPrivateKey } from "node:crypto";
import { pathToFileURL } from "node:url";

const [joseIndex, command, alg, keyArg, ...rest] = process.argv.slice(2);
const jose = await import(pathToFileURL(joseIndex).href);

async function loadKey(arg, usage) {
  if (arg.startsWith("node-crypto:")) {
    return createPrivateKey(readFileSync(arg.slice("node-crypto:".length)));
  }
  const text = readFileSync(arg, "utf8");
  if (text.trimStart().startsWith("{")) {
    return jose.importJWK(JSON.parse(text), alg);
  }
  if (usage === "verify") {
    return jose.importSPKI(text, alg, { extractable: true });
  }
  return jose.importPKCS8(text, alg, { extractable: true });
}

if (command === "verify") {
  const key = await loadKey(keyArg, "verify");
  const { payload, protectedHeader } = await jose.jwtVerify(rest[0], key, {
    algorithms: [alg],
    requiredClaims: ["exp", "iss"],
  });
  console.log(JSON.stringify({ header: protectedHeader, payload }));
} else if (command === "sign") {
  const key = await loadKey(keyArg, "sign");
  const header = { alg, typ: "JWT" };
  if (rest[1] !== undefined) header.kid = rest[1];
  console.log(await new jose.SignJWT(JSON.parse(rest[0])).setProtectedHeader(header).sign(key));
} else if (command === "export-jwk") {
  const privateKey = await loadKey(keyArg, "sign");
  const privateJwk = await jose.exportJWK(privateKey);
  const { d, p, q, dp, dq, qi, ...publicJwk } = privateJwk;
  if (rest[0] !== undefined) {
    privateJwk.kid = rest[0];
    publicJwk.kid = rest[0];
  }
  console.log(JSON.stringify({ private: privateJwk, public: publicJwk }));
} else {
  throw new Error(`unknown command ${command}`);
}
