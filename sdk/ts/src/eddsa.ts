// Sheaf's EdDSA (docs/protocol.md, Keys and signatures; docs/api.md, Keys
// from an Ethereum wallet): gnark-crypto's twisted Edwards curve on BN254's
// scalar field (a = -1), Poseidon2 challenge, and gnark-crypto's key
// generation and deterministic nonce, so signatures match the Go code byte
// for byte. Point arithmetic is @noble/curves' generic twisted Edwards.
import { twistedEdwards, type ExtPointType } from "@noble/curves/abstract/edwards.js";
import { Field } from "@noble/curves/abstract/modular.js";
import { blake2b } from "@noble/hashes/blake2b.js";
import { sha512 } from "@noble/hashes/sha2.js";
import { randomBytes } from "@noble/hashes/utils.js";

import {
  R,
  bigToBytesBE,
  bytesToBigBE,
  bytesToBigLE,
  bytesToHex,
  concatBytes,
  equalBytes,
  hexToBytes,
  type Hex,
} from "./bytes.js";
import { hashMD } from "./poseidon2.js";

/** Twisted Edwards d of gnark-crypto's BN254 curve (a = -1). */
export const EDWARDS_D = 12181644023421730124874158521699555681764249180949974110617291017600649128846n;
/** Order ℓ of the prime-order subgroup (cofactor 8). */
export const SUBGROUP_ORDER = 2736030358979909402780800718157159386076813972158567259200215660948447373041n;
const BASE_X = 9671717474070082183213120605117400219616337014328744928644933853176787189663n;
const BASE_Y = 16950150798460657717958625567821834550301663161624707787222815936182638968203n;
const HALF_R = (R - 1n) / 2n;

const Fp = Field(R);

// noble's own EdDSA (hash, randomBytes) is not used: Sheaf signs with
// Poseidon2 and gnark's nonce; only the group arithmetic is.
const curve = twistedEdwards({
  a: R - 1n,
  d: EDWARDS_D,
  Fp,
  n: SUBGROUP_ORDER,
  h: 8n,
  Gx: BASE_X,
  Gy: BASE_Y,
  hash: sha512,
  randomBytes,
});

export type Point = ExtPointType;
export const Point = curve.ExtendedPoint;
const BASE = Point.BASE;

/** [k]B for any non-negative k (reduced mod ℓ: B has order ℓ). */
export function mulBase(k: bigint): Point {
  const m = ((k % SUBGROUP_ORDER) + SUBGROUP_ORDER) % SUBGROUP_ORDER;
  return m === 0n ? Point.ZERO : BASE.multiply(m);
}

/** Sheaf's 32-byte compressed point: Y big-endian, top bit set when X > (r-1)/2. */
export function compressPoint(p: Point): Uint8Array {
  const { x, y } = p.toAffine();
  const out = bigToBytesBE(y, 32);
  if (x > HALF_R) out[0] |= 0x80;
  return out;
}

/**
 * Decodes a compressed point; checks only that it is a curve point with a
 * canonical encoding. Validate keys with parsePublicKey.
 */
export function decompressPoint(b: Uint8Array): Point {
  if (b.length !== 32) throw new Error(`compressed point: ${b.length} bytes, want 32`);
  const flag = (b[0] & 0x80) !== 0;
  const yb = Uint8Array.from(b);
  yb[0] &= 0x7f;
  const y = bytesToBigBE(yb);
  if (y >= R) throw new Error("compressed point: Y not below r");
  // -x² + y² = 1 + d·x²·y²  ⇒  x² = (y² − 1) / (d·y² + 1)
  const y2 = Fp.sqr(y);
  const den = Fp.add(Fp.mul(EDWARDS_D, y2), 1n);
  let x: bigint;
  try {
    x = Fp.sqrt(Fp.div(Fp.sub(y2, 1n), den));
  } catch {
    throw new Error("compressed point: not on the curve");
  }
  if (flag !== x > HALF_R) x = Fp.neg(x);
  // noble refuses the identity in assertValidity; it is (0, 1), a curve point.
  const p = x === 0n && y === 1n ? Point.ZERO : Point.fromAffine({ x, y });
  if (!p.equals(Point.ZERO)) p.assertValidity();
  if (!equalBytes(compressPoint(p), b)) throw new Error("compressed point: non-canonical encoding");
  return p;
}

/**
 * A wallet public key (ParsePublicKey in Go): on the curve, not of small
 * order, in the prime-order subgroup, canonically encoded.
 */
export function parsePublicKey(b: Uint8Array | Hex): Point {
  const bytes = typeof b === "string" ? hexToBytes(b, 32) : b;
  const p = decompressPoint(bytes);
  if (p.isSmallOrder()) throw new Error("public key: small order");
  if (!p.isTorsionFree()) throw new Error("public key: not in the prime-order subgroup");
  return p;
}

/** The EdDSA challenge: C(C(C(C(C(0, R.x), R.y), A.x), A.y), m). */
export function challenge(r: Point, a: Point, m: bigint): bigint {
  const ra = r.toAffine();
  const aa = a.toAffine();
  return hashMD([ra.x, ra.y, aa.x, aa.y, m]);
}

/** A Sheaf signing key, in gnark-crypto's form. */
export class SheafKey {
  /** The secret scalar as gnark keeps it (pruned, not reduced mod ℓ). */
  readonly scalar: bigint;
  /** The 32-byte source of deterministic signing nonces. */
  readonly nonceSource: Uint8Array;
  readonly publicPoint: Point;

  private constructor(scalar: bigint, nonceSource: Uint8Array, pub?: Point) {
    this.scalar = scalar;
    this.nonceSource = Uint8Array.from(nonceSource);
    this.publicPoint = pub ?? mulBase(scalar);
  }

  /**
   * gnark-crypto's eddsa.GenerateKey reading these 32 bytes: h =
   * BLAKE2b-512(seed), scalar = pruned h[0:32] little-endian, nonce
   * source = h[32:64].
   */
  static fromSeed(seed: Uint8Array): SheafKey {
    if (seed.length !== 32) throw new Error(`seed: ${seed.length} bytes, want 32`);
    const h = blake2b(seed, { dkLen: 64 });
    h[0] &= 0xf8;
    h[31] &= 0x7f;
    h[31] |= 0x40;
    return new SheafKey(bytesToBigLE(h.subarray(0, 32)), h.subarray(32, 64));
  }

  /** A random key (crypto-strong randomness). */
  static generate(): SheafKey {
    return SheafKey.fromSeed(randomBytes(32));
  }

  /**
   * Restores gnark-crypto's 96-byte serialization (Go key files, golden
   * vectors): gnark's compressed public key (little-endian) ‖ scalar
   * (big-endian) ‖ nonce source. The public key must match the scalar.
   */
  static fromBytes(b: Uint8Array | Hex): SheafKey {
    const bytes = typeof b === "string" ? hexToBytes(b) : b;
    if (bytes.length !== 96) throw new Error(`private key: ${bytes.length} bytes, want 96`);
    const k = new SheafKey(bytesToBigBE(bytes.subarray(32, 64)), bytes.subarray(64, 96));
    const gnarkPub = Uint8Array.from(bytes.subarray(0, 32)).reverse();
    if (!equalBytes(gnarkPub, compressPoint(k.publicPoint))) {
      throw new Error("private key: the public key is not the scalar's");
    }
    return k;
  }

  /** gnark-crypto's 96-byte serialization (what Go's PrivateKey.Bytes gives). */
  toBytes(): Uint8Array {
    return concatBytes(compressPoint(this.publicPoint).reverse(), bigToBytesBE(this.scalar, 32), this.nonceSource);
  }

  /** The compressed public key (32 bytes). */
  publicKey(): Uint8Array {
    return compressPoint(this.publicPoint);
  }

  publicKeyHex(): Hex {
    return bytesToHex(this.publicKey());
  }

  /** The public key's affine coordinates (what the contract's deposit takes). */
  publicXY(): { x: bigint; y: bigint } {
    return this.publicPoint.toAffine();
  }

  /**
   * Signs a message hash m exactly as gnark-crypto does: nonce k =
   * BLAKE2b-512(nonceSource ‖ m)[0:32] big-endian, R = [k]B, S = (k + h·s) mod ℓ.
   */
  sign(m: bigint): Uint8Array {
    if (m < 0n || m >= R) throw new Error("message: not a field element");
    const mb = bigToBytesBE(m, 32);
    const k = bytesToBigBE(blake2b(concatBytes(this.nonceSource, mb), { dkLen: 64 }).subarray(0, 32));
    const r = mulBase(k);
    const h = challenge(r, this.publicPoint, m);
    const s = (k + h * this.scalar) % SUBGROUP_ORDER;
    return concatBytes(compressPoint(r), bigToBytesBE(s, 32));
  }
}

/**
 * Verifies a 64-byte signature on m under a public key, as the sequencer
 * does: key in the prime-order subgroup, S < ℓ, [8][S]B = [8](R + [h]A).
 */
export function verify(publicKey: Uint8Array | Point, m: bigint, sig: Uint8Array): boolean {
  try {
    const a = publicKey instanceof Uint8Array ? parsePublicKey(publicKey) : publicKey;
    if (a.equals(Point.ZERO) || !a.isTorsionFree()) return false;
    if (sig.length !== 64) return false;
    const r = decompressPoint(sig.subarray(0, 32));
    const s = bytesToBigBE(sig.subarray(32, 64));
    if (s >= SUBGROUP_ORDER) return false;
    const h = challenge(r, a, m) % SUBGROUP_ORDER;
    const lhs = mulBase(s);
    const rhs = r.add(h === 0n ? Point.ZERO : a.multiplyUnsafe(h));
    return lhs.subtract(rhs).clearCofactor().equals(Point.ZERO);
  } catch {
    return false;
  }
}
