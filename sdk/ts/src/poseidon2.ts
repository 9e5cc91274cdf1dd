// Poseidon2 as gnark-crypto ecc/bn254/fr/poseidon2 builds it for width 2
// (docs/protocol.md, Hash): 6 full rounds, 50 partial rounds, x^5, external
// matrix [[2,1],[1,2]], internal [[2,1],[1,3]], round constants from a
// Keccak-256 chain seeded with "Poseidon2-BN254[t=2,rF=6,rP=50,d=5]".
//
// The permutation engine is @zkpassport/poseidon2's generic Poseidon2 class
// (its t = 2 matrices are gnark's); its own default instance (t = 4,
// HorizenLabs constants) is NOT Sheaf's hash. The golden vectors in
// protocol/testdata decide: test/poseidon2.test.ts checks them.
import { F1Field, Poseidon2, getPoseidon2Params } from "@zkpassport/poseidon2";
import { keccak_256 } from "@noble/hashes/sha3.js";

import { R, bytesToBigBE, utf8 } from "./bytes.js";

const SEED = "Poseidon2-BN254[t=2,rF=6,rP=50,d=5]";
const FULL_ROUNDS = 6;
const PARTIAL_ROUNDS = 50;

/** gnark-crypto's width-2 round constants: 3×2, 50×1, 3×2. */
export function roundConstants(): bigint[][] {
  let rnd = keccak_256(utf8(SEED));
  const next = (): bigint => {
    rnd = keccak_256(rnd);
    return bytesToBigBE(rnd) % R;
  };
  const out: bigint[][] = [];
  for (let i = 0; i < FULL_ROUNDS / 2; i++) out.push([next(), next()]);
  for (let i = 0; i < PARTIAL_ROUNDS; i++) out.push([next()]);
  for (let i = 0; i < FULL_ROUNDS / 2; i++) out.push([next(), next()]);
  return out;
}

const field = new F1Field(R);
const engine = new Poseidon2(
  getPoseidon2Params(2, 5, FULL_ROUNDS, PARTIAL_ROUNDS, [1n, 2n], [[2n, 1n], [1n, 3n]], roundConstants()),
  field,
);

function checkElement(v: bigint, what: string): void {
  if (typeof v !== "bigint" || v < 0n || v >= R) throw new Error(`${what}: not a field element below r`);
}

/** The Poseidon2 permutation of (l, r). */
export function permute(l: bigint, r: bigint): [bigint, bigint] {
  checkElement(l, "left");
  checkElement(r, "right");
  const out = engine.permute([l, r]);
  return [out[0], out[1]];
}

/** C(l, r) = P(l, r)[1] + r: the 2→1 compression every Sheaf hash is built from. */
export function compress(l: bigint, r: bigint): bigint {
  const [, y] = permute(l, r);
  return (y + r) % R;
}

/** Merkle–Damgård over compress from a zero state (gnark's NewMerkleDamgardHasher). */
export function hashMD(elements: bigint[]): bigint {
  let s = 0n;
  for (const e of elements) s = compress(s, e);
  return s;
}
