import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

// @ts-expect-error: a plain .mjs script without types
import { renderAbi } from "../scripts/abi.mjs";

const here = dirname(fileURLToPath(import.meta.url));

test("src/abi.ts is the committed contract artifact's ABI (else: npm run abi)", () => {
  const { abi } = JSON.parse(readFileSync(join(here, "..", "..", "..", "l1", "artifacts", "Rollup.json"), "utf8"));
  const ours = readFileSync(join(here, "..", "src", "abi.ts"), "utf8");
  assert.equal(ours, renderAbi(abi), "l1/artifacts/Rollup.json changed: run `npm run abi` in sdk/ts");
});
