// The Go side's golden vectors (protocol/testdata): the SDK must agree with
// them byte for byte.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
export const testdata = join(here, "..", "..", "..", "protocol", "testdata");

export function readJSON<T = any>(name: string): T {
  return JSON.parse(readFileSync(join(testdata, name), "utf8")) as T;
}
