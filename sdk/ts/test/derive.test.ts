import { test } from "node:test";
import assert from "node:assert/strict";
import { privateKeyToAccount } from "viem/accounts";
import { hashDomain, hashStruct, type Hex } from "viem";
import { secp256k1 } from "@noble/curves/secp256k1.js";

import { bytesToHex, fieldFromHex, hexToBytes, toHex32, bytesToBigBE } from "../src/bytes.js";
import {
  KEY_PURPOSE,
  KEY_SEED_INFO,
  KEY_SEED_SALT,
  KEY_TYPES,
  deriveKey,
  keyFromEthSignature,
  keySeed,
  keyTypedData,
  keyTypedDataHash,
  keyTypedDataJSON,
  normalizeEthSignature,
  signerFromAccount,
  signerFromProvider,
  NonDeterministicSignerError,
  SignerMismatchError,
  type EthSigner,
} from "../src/derive.js";
import { SheafKey } from "../src/eddsa.js";
import { signTransfer, signWithdrawal } from "../src/message.js";
import { readJSON } from "./vectors.js";

const v = readJSON("keyderivation.json");
const deployment = { chainId: BigInt(v.ChainID), contract: v.Contract as Hex };

test("constants are the vectors'", () => {
  assert.equal(v.Purpose, KEY_PURPOSE);
  assert.equal(v.Salt, KEY_SEED_SALT);
  assert.equal(v.Info, KEY_SEED_INFO);
  assert.equal(v.Name, "Sheaf");
  assert.equal(v.Version, "1");
  assert.equal(v.PrimaryType, Object.keys(KEY_TYPES)[0]);
});

for (const c of v.Cases) {
  test(`derivation, ${c.Address} key index ${c.KeyIndex}: every step`, async () => {
    const td = keyTypedData(deployment, c.KeyIndex);
    assert.equal(hashDomain({ domain: td.domain, types: { ...td.types, EIP712Domain: [
      { name: "name", type: "string" }, { name: "version", type: "string" },
      { name: "chainId", type: "uint256" }, { name: "verifyingContract", type: "address" }] } }), c.DomainSeparator);
    assert.equal(hashStruct({ data: td.message, primaryType: td.primaryType, types: td.types }), c.StructHash);
    assert.equal(keyTypedDataHash(deployment, c.KeyIndex), c.Digest);
    const account = privateKeyToAccount(c.EthereumKey);
    assert.equal(account.address, c.Address);
    const sig = await account.signTypedData(td);
    assert.equal(sig, c.Signature, "viem's RFC 6979 signature equals go-ethereum's");
    assert.equal(bytesToHex(normalizeEthSignature(sig)), c.Normalized);
    assert.equal(bytesToHex(normalizeEthSignature(c.HighS)), c.Normalized, "the high-s twin normalises to the same r‖s");
    assert.equal(bytesToHex(keySeed(hexToBytes(c.Normalized))), c.Seed);
    const key = SheafKey.fromSeed(hexToBytes(c.Seed));
    assert.equal(bytesToHex(key.toBytes()), c.Private);
    assert.equal(key.publicKeyHex(), c.PublicKey);
    assert.equal(keyFromEthSignature(c.HighS).publicKeyHex(), c.PublicKey);
    const derived = await deriveKey(signerFromAccount(account), deployment, c.KeyIndex);
    assert.equal(bytesToHex(derived.toBytes()), c.Private);
  });
}

test("messages signed with a derived key", () => {
  const key = SheafKey.fromBytes(v.Cases[0].Private);
  const ds = fieldFromHex(v.Transfer.DomainState);
  const t = signTransfer(key, ds, { from: v.Transfer.From, to: Number(v.Transfer.Recipient), amount: BigInt(v.Transfer.Amount), fee: BigInt(v.Transfer.Fee), nonce: v.Transfer.Nonce });
  assert.equal(t.hash, v.Transfer.Hash);
  assert.equal(t.args.signature, v.Transfer.Signature);
  const w = signWithdrawal(key, ds, { from: v.Withdrawal.From, l1Address: v.Withdrawal.Recipient, amount: BigInt(v.Withdrawal.Amount), fee: BigInt(v.Withdrawal.Fee), nonce: v.Withdrawal.Nonce });
  assert.equal(w.hash, v.Withdrawal.Hash);
  assert.equal(w.args.signature, v.Withdrawal.Signature);
});

/** An injected EIP-1193 provider backed by a local key, as a browser wallet would answer. */
function fakeProvider(pk: Hex, calls: string[] = []) {
  const account = privateKeyToAccount(pk);
  return {
    async request({ method, params }: { method: string; params?: unknown }): Promise<unknown> {
      calls.push(method);
      if (method === "eth_requestAccounts" || method === "eth_accounts") return [account.address];
      if (method === "eth_signTypedData_v4") {
        const [addr, json] = params as [string, string];
        if (addr.toLowerCase() !== account.address.toLowerCase()) throw new Error("unknown account");
        const td = JSON.parse(json);
        delete td.types.EIP712Domain;
        return account.signTypedData(td);
      }
      throw new Error(`unsupported ${method}`);
    },
  };
}

test("deriveKey over an EIP-1193 provider (eth_signTypedData_v4, asked twice)", async () => {
  const calls: string[] = [];
  const signer = await signerFromProvider(fakeProvider(v.Cases[0].EthereumKey, calls));
  const key = await deriveKey(signer, deployment, 0);
  assert.equal(bytesToHex(key.toBytes()), v.Cases[0].Private);
  assert.deepEqual(calls, ["eth_requestAccounts", "eth_signTypedData_v4", "eth_signTypedData_v4"]);
  const json = JSON.parse(keyTypedDataJSON(deployment, 0));
  assert.equal(json.domain.chainId, 31337);
  assert.equal(json.message.purpose, KEY_PURPOSE);
});

test("deriveKey refuses non-deterministic signers and foreign signatures", async () => {
  const account = privateKeyToAccount(v.Cases[0].EthereumKey);
  let n = 0;
  const flaky: EthSigner = {
    address: account.address,
    // A valid signature with a fresh nonce each time (anti-klepto wallets).
    signKeyTypedData: async (d, i) => {
      n++;
      const digest = hexToBytes(keyTypedDataHash(d, i));
      const s = secp256k1.sign(digest, hexToBytes(v.Cases[0].EthereumKey), { extraEntropy: new Uint8Array(32).fill(n) });
      return bytesToHex(new Uint8Array([...s.toCompactRawBytes(), 27 + s.recovery])) as Hex;
    },
  };
  await assert.rejects(deriveKey(flaky, deployment, 0), NonDeterministicSignerError);
  const other = privateKeyToAccount(v.Cases[2].EthereumKey);
  const liar: EthSigner = { address: account.address, signKeyTypedData: (d, i) => other.signTypedData(keyTypedData(d, i)) };
  await assert.rejects(deriveKey(liar, deployment, 0), SignerMismatchError);
});

test("normalizeEthSignature refuses what Go refuses", () => {
  const one = "00".repeat(31) + "01";
  const n = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
  for (const h of [one + one, one + one + "1b1b", "00".repeat(32) + one + "1b", one + "00".repeat(32) + "1b", n + one + "1c", one + n + "1b", one + one + "1d"]) {
    assert.throws(() => normalizeEthSignature(("0x" + h) as Hex));
  }
  assert.equal(bytesToBigBE(normalizeEthSignature(("0x" + one + one + "1b") as Hex).subarray(32)), 1n);
  assert.equal(toHex32(0n).length, 66);
});
