// Byte and integer helpers. Every field element, hash and key travels as
// 32 bytes big-endian, written 0x-prefixed hex (docs/api.md, Encodings).

/** A 0x-prefixed hex string. */
export type Hex = `0x${string}`;

/** BN254's scalar field modulus r: every field element is below it. */
export const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

export function hexToBytes(h: string, length?: number): Uint8Array {
  if (typeof h !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(h)) {
    throw new Error(`not 0x-prefixed hex with whole bytes: ${String(h).slice(0, 80)}`);
  }
  const out = new Uint8Array((h.length - 2) / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 + 2 * i, 4 + 2 * i), 16);
  if (length !== undefined && out.length !== length) {
    throw new Error(`want ${length} bytes, got ${out.length}`);
  }
  return out;
}

export function bytesToHex(b: Uint8Array): Hex {
  let s = "0x";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s as Hex;
}

/** Big-endian integer of b. */
export function bytesToBigBE(b: Uint8Array): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}

/** Little-endian integer of b. */
export function bytesToBigLE(b: Uint8Array): bigint {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  return v;
}

/** v as `length` bytes big-endian; throws when it does not fit. */
export function bigToBytesBE(v: bigint, length = 32): Uint8Array {
  if (v < 0n || v >> BigInt(8 * length) !== 0n) throw new Error(`${v} does not fit ${length} bytes`);
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** 32-byte big-endian hex of a field element (or any value below 2^256). */
export function toHex32(v: bigint): Hex {
  return bytesToHex(bigToBytesBE(v, 32));
}

/** A field element from 32-byte big-endian hex; refuses values ≥ r. */
export function fieldFromHex(h: string): bigint {
  const v = bytesToBigBE(hexToBytes(h, 32));
  if (v >= R) throw new Error(`${h} is not a canonical field element (≥ r)`);
  return v;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** The field element whose big-endian bytes are the ASCII string s. */
export function asciiTag(s: string): bigint {
  return bytesToBigBE(utf8(s));
}
