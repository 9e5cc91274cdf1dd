// Keys from an Ethereum wallet (docs/api.md, "Keys from an Ethereum
// wallet"): EIP-712 typed data bound to the deployment and a key index →
// signature normalised to r‖s with low s → HKDF-SHA256 → gnark-crypto's
// key generation. Signed twice: a signer whose signatures differ is refused.
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { getAddress, hashTypedData, recoverAddress, type Account, type WalletClient } from "viem";

import { bytesToBigBE, bytesToHex, bigToBytesBE, equalBytes, hexToBytes, utf8, type Hex } from "./bytes.js";
import { SheafKey } from "./eddsa.js";

export const KEY_DOMAIN_NAME = "Sheaf";
export const KEY_DOMAIN_VERSION = "1";
export const KEY_PRIMARY_TYPE = "SheafKey";
/** The readable text the wallet shows; part of the signed hash, byte for byte. */
export const KEY_PURPOSE =
  "Create my Sheaf account key. Signing is free and sends nothing. " +
  "Only sign this in an app you trust: this signature controls your Sheaf funds.";
export const KEY_SEED_SALT = "sheaf.key.salt.v1";
export const KEY_SEED_INFO = "sheaf.key.eddsa-seed.v1";

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

export const KEY_TYPES = {
  SheafKey: [
    { name: "purpose", type: "string" },
    { name: "keyIndex", type: "uint32" },
  ],
} as const;

export interface Deployment {
  chainId: bigint | number;
  /** the rollup contract */
  contract: Hex;
}

/** The typed data to sign, in viem's form (EIP712Domain is implied). */
export function keyTypedData(d: Deployment, keyIndex = 0) {
  if (!Number.isInteger(keyIndex) || keyIndex < 0 || keyIndex > 0xffffffff) throw new Error("key index: not a 32-bit unsigned integer");
  return {
    domain: { name: KEY_DOMAIN_NAME, version: KEY_DOMAIN_VERSION, chainId: BigInt(d.chainId), verifyingContract: getAddress(d.contract) },
    types: KEY_TYPES,
    primaryType: KEY_PRIMARY_TYPE,
    message: { purpose: KEY_PURPOSE, keyIndex },
  } as const;
}

/** The EIP-712 digest the Ethereum key signs. */
export function keyTypedDataHash(d: Deployment, keyIndex = 0): Hex {
  return hashTypedData(keyTypedData(d, keyIndex));
}

/** eth_signTypedData_v4's JSON parameter (EIP712Domain spelled out). */
export function keyTypedDataJSON(d: Deployment, keyIndex = 0): string {
  const td = keyTypedData(d, keyIndex);
  return JSON.stringify({
    types: {
      EIP712Domain: [
        { name: "name", type: "string" },
        { name: "version", type: "string" },
        { name: "chainId", type: "uint256" },
        { name: "verifyingContract", type: "address" },
      ],
      ...td.types,
    },
    primaryType: td.primaryType,
    domain: { ...td.domain, chainId: Number(td.domain.chainId) },
    message: td.message,
  });
}

/**
 * r‖s with s in the lower half of the secp256k1 order, from the 65-byte
 * r‖s‖v a wallet returns (v: 27, 28, 0 or 1). 64-byte (EIP-2098) forms are
 * refused: their parity bit in s would silently derive another key.
 */
export function normalizeEthSignature(sig: Hex | Uint8Array): Uint8Array {
  const b = typeof sig === "string" ? hexToBytes(sig) : sig;
  if (b.length !== 65) throw new Error(`Ethereum signature: ${b.length} bytes, want 65 (r‖s‖v)`);
  if (![0, 1, 27, 28].includes(b[64])) throw new Error(`Ethereum signature: v = ${b[64]}, want 27, 28, 0 or 1`);
  const r = bytesToBigBE(b.subarray(0, 32));
  let s = bytesToBigBE(b.subarray(32, 64));
  if (r === 0n || r >= SECP256K1_N || s === 0n || s >= SECP256K1_N) throw new Error("Ethereum signature: r or s out of range");
  if (s > SECP256K1_N >> 1n) s = SECP256K1_N - s;
  const out = new Uint8Array(64);
  out.set(b.subarray(0, 32));
  out.set(bigToBytesBE(s, 32), 32);
  return out;
}

/** HKDF-SHA256(ikm = r‖s, salt, info, 32). */
export function keySeed(normalized: Uint8Array): Uint8Array {
  if (normalized.length !== 64) throw new Error("normalised signature: want 64 bytes");
  return hkdf(sha256, normalized, utf8(KEY_SEED_SALT), utf8(KEY_SEED_INFO), 32);
}

/** The whole derivation from one wallet signature (no determinism check: see deriveKey). */
export function keyFromEthSignature(sig: Hex | Uint8Array): SheafKey {
  return SheafKey.fromSeed(keySeed(normalizeEthSignature(sig)));
}

/** An Ethereum account that signs EIP-712 typed data. */
export interface EthSigner {
  address: Hex;
  /** Returns the 65-byte signature (hex) of the key-derivation typed data. */
  signKeyTypedData(d: Deployment, keyIndex: number): Promise<Hex>;
}

/** The part of an EIP-1193 provider (window.ethereum, WalletConnect, …) the SDK uses. */
export interface EIP1193Like {
  request(args: { method: string; params?: unknown }): Promise<unknown>;
}

/** A signer over any EIP-1193 provider: eth_requestAccounts, then eth_signTypedData_v4. */
export async function signerFromProvider(provider: EIP1193Like, address?: Hex): Promise<EthSigner> {
  let addr = address;
  if (!addr) {
    const accounts = (await provider.request({ method: "eth_requestAccounts" })) as Hex[];
    if (!accounts?.length) throw new Error("the Ethereum wallet gave no account");
    addr = accounts[0];
  }
  const account = getAddress(addr);
  return {
    address: account,
    signKeyTypedData: async (d, keyIndex) =>
      (await provider.request({ method: "eth_signTypedData_v4", params: [account, keyTypedDataJSON(d, keyIndex)] })) as Hex,
  };
}

/** A signer from a viem local account (privateKeyToAccount, mnemonicToAccount, …). */
export function signerFromAccount(account: Account & { signTypedData?: (p: never) => Promise<Hex> }): EthSigner {
  const sign = account.signTypedData;
  if (!sign) throw new Error("this viem account cannot sign typed data locally: use signerFromWalletClient");
  return { address: account.address, signKeyTypedData: (d, i) => sign(keyTypedData(d, i) as never) };
}

/** A signer from a viem WalletClient with an account. */
export function signerFromWalletClient(client: WalletClient): EthSigner {
  const account = client.account;
  if (!account) throw new Error("the wallet client has no account");
  return {
    address: account.address,
    signKeyTypedData: (d, i) => client.signTypedData({ account, ...keyTypedData(d, i) } as never),
  };
}

/** A signer from an ethers v6 Signer (duck-typed: getAddress and signTypedData(domain, types, value)). */
export async function signerFromEthers(signer: {
  getAddress(): Promise<string>;
  signTypedData(domain: object, types: object, value: object): Promise<string>;
}): Promise<EthSigner> {
  const address = getAddress(await signer.getAddress());
  return {
    address,
    signKeyTypedData: async (d, i) => {
      const td = keyTypedData(d, i);
      return (await signer.signTypedData(td.domain, { SheafKey: [...td.types.SheafKey] }, td.message)) as Hex;
    },
  };
}

/** The wallet's signatures differ: a key derived from it could never be derived again. */
export class NonDeterministicSignerError extends Error {
  constructor() {
    super(
      "the Ethereum wallet's signatures are not deterministic: a Sheaf key derived from them could never be recovered; " +
        "create a random key in an encrypted key file instead",
    );
    this.name = "NonDeterministicSignerError";
  }
}

/** The signature does not recover to the account (a contract wallet, or another account). */
export class SignerMismatchError extends Error {
  constructor(address: string) {
    super(`the signature does not come from the Ethereum account ${address}'s own key (contract wallets cannot derive keys)`);
    this.name = "SignerMismatchError";
  }
}

/**
 * Derives the Sheaf key of an Ethereum account for a deployment and key
 * index: asks for the signature twice, refuses differing signatures
 * (NonDeterministicSignerError) and signatures that do not recover to the
 * account (SignerMismatchError).
 */
export async function deriveKey(signer: EthSigner, d: Deployment, keyIndex = 0): Promise<SheafKey> {
  const digest = keyTypedDataHash(d, keyIndex);
  const norms: Uint8Array[] = [];
  for (let i = 0; i < 2; i++) {
    const n = normalizeEthSignature(await signer.signKeyTypedData(d, keyIndex));
    let ok = false;
    for (const yParity of [0, 1]) {
      try {
        const a = await recoverAddress({ hash: digest, signature: { r: bytesToHex(n.subarray(0, 32)), s: bytesToHex(n.subarray(32)), yParity } });
        if (a.toLowerCase() === signer.address.toLowerCase()) ok = true;
      } catch {
        // not this parity
      }
    }
    if (!ok) throw new SignerMismatchError(signer.address);
    norms.push(n);
  }
  if (!equalBytes(norms[0], norms[1])) throw new NonDeterministicSignerError();
  return SheafKey.fromSeed(keySeed(norms[0]));
}
