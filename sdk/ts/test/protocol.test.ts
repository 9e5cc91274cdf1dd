import { test } from "node:test";
import assert from "node:assert/strict";

import { fieldFromHex, hexToBytes, toHex32, bytesToHex, R } from "../src/bytes.js";
import { compress, hashMD, permute } from "../src/poseidon2.js";
import { SheafKey, parsePublicKey, verify, compressPoint } from "../src/eddsa.js";
import { TAG_LEAF, TAG_MESSAGE, domainElement, domainState, messageLanes, transferHash, withdrawalHash, signTransfer, addressToBig } from "../src/message.js";
import { readJSON } from "./vectors.js";

const v = readJSON("vectors.json");

test("tags", () => {
  assert.equal(toHex32(TAG_LEAF), v.Tags.Leaf);
  assert.equal(toHex32(TAG_MESSAGE), v.Tags.Message);
});

test("Poseidon2 compression matches gnark-crypto (domain state, leaf, empty tree)", () => {
  assert.equal(toHex32(domainElement(BigInt(v.Domain.ChainID), v.Domain.Contract)), v.Domain.Element);
  assert.equal(toHex32(compress(TAG_MESSAGE, fieldFromHex(v.Domain.Element))), v.Domain.State);
  assert.equal(toHex32(domainState(BigInt(v.Domain.ChainID), v.Domain.Contract)), v.Domain.State);
  const k = v.Keys[v.Leaf.Key];
  const keyHash = compress(compress(TAG_LEAF, fieldFromHex(k.X)), fieldFromHex(k.Y));
  assert.equal(toHex32(keyHash), v.Leaf.KeyHash);
  const lane = (BigInt(v.Leaf.Nonce) << 128n) | BigInt(v.Leaf.Balance);
  assert.equal(toHex32(lane), v.Leaf.PackedLane);
  assert.equal(toHex32(compress(keyHash, lane)), v.Leaf.LeafHash);
  let z = 0n;
  for (let i = 0; i < 24; i++) z = compress(z, z);
  assert.equal(toHex32(z), v.Leaf.EmptyTreeRootD24);
});

test("Poseidon2 refuses non-canonical inputs", () => {
  assert.throws(() => compress(R, 0n));
  assert.throws(() => permute(0n, -1n));
  assert.equal(hashMD([]), 0n);
});

test("keys: gnark serialization, compressed public key, coordinates", () => {
  for (const k of v.Keys) {
    const key = SheafKey.fromBytes(k.Private);
    assert.equal(key.publicKeyHex(), k.Compressed);
    assert.equal(toHex32(key.publicXY().x), k.X);
    assert.equal(toHex32(key.publicXY().y), k.Y);
    assert.equal(bytesToHex(key.toBytes()), k.Private);
    const p = parsePublicKey(k.Compressed);
    assert.equal(bytesToHex(compressPoint(p)), k.Compressed);
  }
  // A private key whose public part is another key's is refused.
  const a = hexToBytes(v.Keys[0].Private);
  a.set(hexToBytes(v.Keys[1].Private).subarray(0, 32), 0);
  assert.throws(() => SheafKey.fromBytes(a), /not the scalar/);
});

for (const [name, m, keyIdx] of [["transfer", v.Transfer, 1], ["withdrawal", v.Withdrawal, 2]] as const) {
  test(`${name}: lanes, hash and gnark's deterministic signature`, () => {
    const ds = fieldFromHex(v.Domain.State);
    const recipient = m.Type === 1 ? BigInt(m.Recipient) : addressToBig(m.Recipient);
    const f = { type: m.Type, from: m.From, nonce: m.Nonce, recipient, amount: BigInt(m.Amount), fee: BigInt(m.Fee) };
    const [e1, e2] = messageLanes(f);
    assert.equal(toHex32(e1), m.E1);
    assert.equal(toHex32(e2), m.E2);
    const h = m.Type === 1
      ? transferHash(ds, { from: m.From, to: Number(m.Recipient), amount: f.amount, fee: f.fee, nonce: m.Nonce })
      : withdrawalHash(ds, { from: m.From, l1Address: m.Recipient, amount: f.amount, fee: f.fee, nonce: m.Nonce });
    assert.equal(toHex32(h), m.Hash);
    const key = SheafKey.fromBytes(v.Keys[keyIdx].Private);
    const sig = key.sign(h);
    assert.equal(bytesToHex(sig), m.Signature);
    assert.ok(verify(key.publicKey(), h, sig));
    assert.ok(!verify(key.publicKey(), (h + 1n) % R, sig));
    assert.ok(!verify(SheafKey.fromBytes(v.Keys[0].Private).publicKey(), h, sig));
    const bad = Uint8Array.from(sig);
    bad[63] ^= 1;
    assert.ok(!verify(key.publicKey(), h, bad));
  });
}

test("docs/api.md example: transfer 1 → 2 signed by Keys[0]", () => {
  const ds = domainState(31337n, "0x5eaf010000000000000000000000000000000000");
  const s = signTransfer(SheafKey.fromBytes(v.Keys[0].Private), ds, { from: 1, to: 2, amount: 1500000n, fee: 10n, nonce: 0 });
  assert.equal(s.hash, "0x022a7d0bb0e3bae59150c039caa27f7f8d6db89ad9b5e9af2fa7f9374737294a");
  assert.equal(s.args.signature, "0x20c4ddcdcd085c8149cbd21b7ae2d75ddebc3a55de2729aee284c1adbcfcbb1604ac7f3fea77478419dace6cdeae8f5c5c71e8269278da64d09446c8c373fd3a");
  assert.deepEqual({ ...s.args, signature: undefined }, { kind: "transfer", from: 1, to: 2, amount: "1500000", fee: "10", nonce: 0, signature: undefined });
});

test("random keys sign and verify; public keys pass the wallet rule", () => {
  for (let i = 0; i < 3; i++) {
    const k = SheafKey.generate();
    parsePublicKey(k.publicKey());
    const m = BigInt(i + 12345);
    assert.ok(verify(k.publicKey(), m, k.sign(m)));
    assert.deepEqual(SheafKey.fromBytes(k.toBytes()).toBytes(), k.toBytes());
  }
});

test("parsePublicKey refuses what Go's ParsePublicKey refuses", () => {
  assert.throws(() => parsePublicKey(new Uint8Array(31)));
  // Y = 0 is not on the curve; Y = 1 with X = 0 is the identity (small order).
  assert.throws(() => parsePublicKey(toHex32(0n)));
  assert.throws(() => parsePublicKey(toHex32(1n)), /small order/);
  assert.throws(() => parsePublicKey(toHex32(R)), /below r/);
});
