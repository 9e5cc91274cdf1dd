import { test } from "node:test";
import assert from "node:assert/strict";

import {
  AMOUNT_FLOAT,
  FEE_FLOAT,
  NotRepresentableError,
  checkAmount,
  checkFee,
  decodeFloat,
  encodeFloat,
  formatEth,
  isRepresentable,
  nearestRepresentable,
  parseAmount,
  parseEth,
} from "../src/amount.js";
import { readJSON } from "./vectors.js";

const v = readJSON("vectors.json");

test("float codes match the Go vectors", () => {
  for (const f of v.Floats) {
    const val = BigInt(f.Value);
    const a = encodeFloat(AMOUNT_FLOAT, val);
    const fee = encodeFloat(FEE_FLOAT, val);
    assert.equal(a === undefined ? undefined : Number(a), f.AmountCode, `amount ${f.Value}`);
    assert.equal(fee === undefined ? undefined : Number(fee), f.FeeCode, `fee ${f.Value}`);
    if (a !== undefined) assert.equal(decodeFloat(AMOUNT_FLOAT, a), val);
    if (fee !== undefined) assert.equal(decodeFloat(FEE_FLOAT, fee), val);
  }
});

test("docs/api.md's table: accepted and refused, with the nearest values", () => {
  for (const x of [0n, 1n, 63n, 100n, 630n, 10n ** 18n]) {
    assert.ok(isRepresentable(AMOUNT_FLOAT, x) && isRepresentable(FEE_FLOAT, x), String(x));
  }
  for (const x of [64n, 640n, 4294967295n, 4294967300n, 42949672950n, 123456789000000000n, 1234567891n]) {
    assert.ok(isRepresentable(AMOUNT_FLOAT, x), String(x));
    assert.ok(!isRepresentable(FEE_FLOAT, x), String(x));
  }
  assert.deepEqual(nearestRepresentable(FEE_FLOAT, 64n), { below: 63n, above: 70n });
  assert.deepEqual(nearestRepresentable(FEE_FLOAT, 65n), { below: 63n, above: 70n });
  assert.deepEqual(nearestRepresentable(AMOUNT_FLOAT, 4294967296n), { below: 4294967295n, above: 4294967300n });
  assert.deepEqual(nearestRepresentable(AMOUNT_FLOAT, 4294967297n), { below: 4294967295n, above: 4294967300n });
  assert.ok(!isRepresentable(AMOUNT_FLOAT, 1n << 128n));
  assert.throws(() => checkFee(65n), (e: unknown) => e instanceof NotRepresentableError && /63 and 70/.test(e.message) && e.field === "fee");
  assert.throws(() => checkAmount(4294967297n), /4294967295 and 4294967300/);
  assert.throws(() => checkAmount(1n << 128n), /2\^128/);
  assert.throws(() => checkAmount(-1n), /negative/);
  assert.equal(checkAmount(1500000n), 1500000n);
});

test("ETH and wei", () => {
  assert.equal(parseEth("1.5"), 1500000000000000000n);
  assert.equal(parseEth("0.000000000000000001"), 1n);
  assert.equal(parseEth("2"), 2n * 10n ** 18n);
  for (const bad of ["1.0000000000000000001", "-1", "1e18", "1,5", "", ".5", "0x10"]) assert.throws(() => parseEth(bad), bad);
  assert.equal(formatEth(1500000000000000000n), "1.5 ETH");
  assert.equal(formatEth(1n), "0.000000000000000001 ETH");
  assert.equal(formatEth(3n * 10n ** 18n), "3 ETH");
  assert.equal(parseAmount("1.5 ETH"), 1500000000000000000n);
  assert.equal(parseAmount("1.5eth"), 1500000000000000000n);
  assert.equal(parseAmount("1500 wei"), 1500n);
  assert.equal(parseAmount("1500"), 1500n);
  assert.throws(() => parseAmount("1.5"), /amount such as/);
});
