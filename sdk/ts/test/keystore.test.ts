import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

import { LIGHT_SCRYPT, decryptKey, encryptKey, type KeyFileV2 } from "../src/keystore.js";
import { SheafKey } from "../src/eddsa.js";
import { bytesToHex } from "../src/bytes.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "api", "client", "testdata");
const PASSWORD = "sheaf test password";

test("opens the Go client's encrypted key file", async () => {
  const raw = readFileSync(join(fixtures, "keystore-v2-go.json"), "utf8");
  const key = await decryptKey(raw, PASSWORD);
  assert.equal(key.publicKeyHex(), JSON.parse(raw).publicKey);
  await assert.rejects(decryptKey(raw, "wrong"), /wrong password/);
  await assert.rejects(decryptKey(raw), /password is needed/);
});

test("the TypeScript fixture opens with its password (Go opens it too: api/client tests)", async () => {
  const raw = readFileSync(join(fixtures, "keystore-v2-ts.json"), "utf8");
  const key = await decryptKey(raw, PASSWORD);
  assert.equal(key.publicKeyHex(), JSON.parse(raw).publicKey);
});

test("encrypt, decrypt, and refuse edited files", async () => {
  const key = SheafKey.generate();
  const f = await encryptKey(key, "pw", LIGHT_SCRYPT);
  assert.equal(f.version, 2);
  assert.ok(!JSON.stringify(f).includes(bytesToHex(key.toBytes()).slice(2, 40)));
  assert.deepEqual((await decryptKey(JSON.stringify(f), "pw")).toBytes(), key.toBytes());
  const other = SheafKey.generate();
  const edited: KeyFileV2 = { ...f, publicKey: other.publicKeyHex() };
  await assert.rejects(decryptKey(edited, "pw"), /wrong password/);
  const bigN = structuredClone(f);
  bigN.crypto.kdfparams.n = 1 << 30;
  await assert.rejects(decryptKey(bigN, "pw"), /scrypt n/);
  await assert.rejects(encryptKey(key, "", LIGHT_SCRYPT), /empty password/);
  // Plain development files (version 1) open without a password.
  const plain = { version: 1 as const, development: true, privateKey: bytesToHex(key.toBytes()), publicKey: key.publicKeyHex() };
  assert.deepEqual((await decryptKey(plain)).toBytes(), key.toBytes());
});
