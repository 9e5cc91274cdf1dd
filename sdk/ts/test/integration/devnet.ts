// Starts a real devnet (`sheaf devnet`: PostgreSQL, an L1 over HTTP, the
// contracts, watcher, sequencer, prover, submitter, API) as a child process
// on the smallest circuit, for the SDK's integration tests.
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, chmodSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createServer } from "node:net";
import { keccak_256 } from "@noble/hashes/sha3.js";

import { bytesToHex, utf8, type Hex } from "../../src/bytes.js";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => (typeof a === "object" && a ? resolve(a.port) : reject(new Error("no port"))));
    });
  });
}

/** The sheaf binary: $SHEAF_BIN, else built from the checkout. */
export function sheafBinary(dir: string): string {
  if (process.env.SHEAF_BIN) return process.env.SHEAF_BIN;
  const bin = join(dir, "sheaf");
  execFileSync("go", ["build", "-o", bin, "./cmd/sheaf"], { cwd: repoRoot, stdio: "inherit" });
  return bin;
}

/** The devnet's development L1 key of wallet i (public: devnet only). */
export function devnetL1Key(i: number): Hex {
  return bytesToHex(keccak_256(utf8(`sheaf devnet UNSAFE wallet ${i}`)));
}

export interface Devnet {
  l1: string;
  rpc: string;
  ws: string;
  dir: string;
  chainId: number;
  contract: Hex;
  deploymentBlock: bigint;
  log(): string;
  stop(): Promise<void>;
}

export async function startDevnet(opts: { wallets?: number; timeoutMs?: number } = {}): Promise<Devnet> {
  const dir = mkdtempSync(join(tmpdir(), "sheaf-sdk-devnet-"));
  // As root the devnet's PostgreSQL runs as the postgres user, which must reach the folder.
  chmodSync(dir, 0o755);
  const bin = sheafBinary(dir);
  const [l1Port, rpcPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
  const args = [
    "--log.level", "warn", "devnet",
    "--devnet.dir", join(dir, "net"),
    "--devnet.l1-addr", `127.0.0.1:${l1Port}`,
    "--rpc.addr", `127.0.0.1:${rpcPort}`,
    "--metrics.addr", `127.0.0.1:${metricsPort}`,
    "--circuit.depth", "4", "--circuit.deposits", "1", "--circuit.transfers", "2", "--circuit.withdrawals", "1",
    "--devnet.block-time", "200ms", "--devnet.wallets", String(opts.wallets ?? 2),
  ];
  let out = "";
  const child: ChildProcess = spawn(bin, args, { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (b) => (out += b));
  child.stderr!.on("data", (b) => (out += b));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`devnet did not start in time:\n${out.slice(-4000)}`)), opts.timeoutMs ?? 8 * 60_000);
    const check = setInterval(() => {
      if (out.includes("Sheaf devnet is running")) {
        clearTimeout(timer);
        clearInterval(check);
        resolve();
      }
    }, 100);
    void exited.then((code) => {
      clearTimeout(timer);
      clearInterval(check);
      reject(new Error(`devnet exited with ${code} before it was ready:\n${out.slice(-4000)}`));
    });
  });
  const dep = JSON.parse(readFileSync(join(dir, "net", "deployment.json"), "utf8"));
  return {
    l1: `http://127.0.0.1:${l1Port}`,
    rpc: `http://127.0.0.1:${rpcPort}/`,
    ws: `ws://127.0.0.1:${rpcPort}/`,
    dir,
    chainId: Number(dep.chain_id),
    contract: dep.rollup as Hex,
    deploymentBlock: BigInt(dep.block),
    log: () => out,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill("SIGINT");
        const t = setTimeout(() => child.kill("SIGKILL"), 30_000);
        await exited;
        clearTimeout(t);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
