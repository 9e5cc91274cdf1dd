// Amounts and fees (docs/protocol.md, Short floats): pubdata carries them
// as mantissa·10^exponent, so a wallet may only sign values that are
// exactly representable. These helpers refuse others before anything is
// signed and suggest the nearest representable values; they also convert
// between wei and readable ETH.

export interface FloatFormat {
  mantBits: number;
  expBits: number;
}

/** 32-bit mantissa, 5-bit exponent. */
export const AMOUNT_FLOAT: FloatFormat = { mantBits: 32, expBits: 5 };
/** 6-bit mantissa, 5-bit exponent: fees are coarse by design. */
export const FEE_FLOAT: FloatFormat = { mantBits: 6, expBits: 5 };

const TWO_128 = 1n << 128n;
const WEI_PER_ETH = 10n ** 18n;

/** The canonical code (exponent·2^mantBits + mantissa), or undefined when v is not exact. */
export function encodeFloat(f: FloatFormat, v: bigint): bigint | undefined {
  if (v < 0n) return undefined;
  const maxMant = (1n << BigInt(f.mantBits)) - 1n;
  let q = v;
  for (let e = 0; e < 1 << f.expBits; e++) {
    if (q <= maxMant) return (BigInt(e) << BigInt(f.mantBits)) | q;
    if (q % 10n !== 0n) return undefined;
    q /= 10n;
  }
  return undefined;
}

export function decodeFloat(f: FloatFormat, code: bigint): bigint {
  if (code < 0n || code >> BigInt(f.mantBits + f.expBits) !== 0n) throw new Error(`float code ${code} wider than ${f.mantBits + f.expBits} bits`);
  const m = code & ((1n << BigInt(f.mantBits)) - 1n);
  const e = code >> BigInt(f.mantBits);
  return m * 10n ** e;
}

/** Whether v is below 2^128 and exactly representable in f. */
export function isRepresentable(f: FloatFormat, v: bigint): boolean {
  return v >= 0n && v < TWO_128 && encodeFloat(f, v) !== undefined;
}

/**
 * The largest representable value ≤ v and the smallest ≥ v (below 2^128);
 * undefined where none exists. Same as Go's api.Nearest.
 */
export function nearestRepresentable(f: FloatFormat, v: bigint): { below?: bigint; above?: bigint } {
  if (v < 0n) throw new Error("negative value");
  const maxMant = (1n << BigInt(f.mantBits)) - 1n;
  let below: bigint | undefined;
  let above: bigint | undefined;
  let pow = 1n;
  for (let e = 0; e < 1 << f.expBits; e++) {
    const q = v / pow;
    const r = v % pow;
    const lo = (q > maxMant ? maxMant : q) * pow;
    if (lo < TWO_128 && (below === undefined || lo > below)) below = lo;
    const qh = r === 0n ? q : q + 1n;
    if (qh <= maxMant) {
      const hi = qh * pow;
      if (hi < TWO_128 && (above === undefined || hi < above)) above = hi;
    }
    pow *= 10n;
  }
  return { below, above };
}

/** Thrown for an amount or fee a short float cannot carry; names the nearest values. */
export class NotRepresentableError extends Error {
  readonly field: string;
  readonly value: bigint;
  readonly below?: bigint;
  readonly above?: bigint;
  constructor(field: string, value: bigint, below?: bigint, above?: bigint) {
    const near = [below, above].filter((x): x is bigint => x !== undefined);
    super(
      `${field}: ${value} is not exactly representable as a short float` +
        (near.length ? `; nearest representable ${near.length > 1 ? "values are" : "value is"} ${[...new Set(near)].join(" and ")}` : ""),
    );
    this.name = "NotRepresentableError";
    this.field = field;
    this.value = value;
    this.below = below;
    this.above = above;
  }
}

/** Throws unless v is a representable amount (field names it in the error). */
export function checkAmount(v: bigint, field = "amount"): bigint {
  return checkIn(AMOUNT_FLOAT, v, field);
}

/** Throws unless v is a representable fee. */
export function checkFee(v: bigint, field = "fee"): bigint {
  return checkIn(FEE_FLOAT, v, field);
}

function checkIn(f: FloatFormat, v: bigint, field: string): bigint {
  if (typeof v !== "bigint") throw new Error(`${field}: want a bigint number of wei`);
  if (v < 0n) throw new Error(`${field}: negative`);
  if (v >= TWO_128) throw new Error(`${field}: ${v} is not below 2^128`);
  if (encodeFloat(f, v) === undefined) {
    const { below, above } = nearestRepresentable(f, v);
    throw new NotRepresentableError(field, v, below, above);
  }
  return v;
}

/**
 * Parses a decimal ETH amount ("1.5", "0.000000000000000001") into wei;
 * refuses more than 18 decimals, signs, exponents and separators.
 */
export function parseEth(s: string): bigint {
  const m = /^(\d+)(?:\.(\d{1,18}))?$/.exec(s.trim());
  if (!m) throw new Error(`"${s}": want a decimal ETH amount such as 1.5 (at most 18 decimals)`);
  return BigInt(m[1]) * WEI_PER_ETH + BigInt((m[2] ?? "").padEnd(18, "0"));
}

/** Formats wei as ETH without losing digits ("1.5", "0.000001"). */
export function formatEth(wei: bigint): string {
  const neg = wei < 0n;
  const a = neg ? -wei : wei;
  const frac = (a % WEI_PER_ETH).toString().padStart(18, "0").replace(/0+$/, "");
  return `${neg ? "-" : ""}${a / WEI_PER_ETH}${frac ? "." + frac : ""} ETH`;
}

/**
 * Parses what a user typed: "1.5 ETH", "1.5eth", "1500 wei", or a bare
 * integer (wei). Bare decimals are refused as ambiguous.
 */
export function parseAmount(s: string): bigint {
  const t = s.trim().toLowerCase();
  let m: RegExpExecArray | null;
  if ((m = /^([0-9.]+)\s*eth$/.exec(t))) return parseEth(m[1]);
  if ((m = /^(\d+)\s*(wei)?$/.exec(t))) return BigInt(m[1]);
  throw new Error(`"${s}": want an amount such as "1.5 ETH" or "1500000000000000000 wei"`);
}
