// The SDK against a real devnet: derive a Sheaf key from a local Ethereum
// key, deposit on L1, transfer and withdraw on L2, wait for finality, claim
// on L1, and check balances on both layers.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { join } from "node:path";
import WebSocket from "ws";
import { createPublicClient, createWalletClient, defineChain, http, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { SheafClient } from "../../src/rpc.js";
import { deriveKey, signerFromAccount } from "../../src/derive.js";
import { deposit, claim, pendingWithdrawal, withdrawalL1Status } from "../../src/l1.js";
import { parseEth } from "../../src/amount.js";
import { startDevnet, devnetL1Key, repoRoot, type Devnet } from "./devnet.js";

let net: Devnet;

before(async () => {
  net = await startDevnet();
}, { timeout: 10 * 60_000 });

after(async () => {
  await net?.stop();
});

test("derive, deposit, transfer, withdraw, finalize, claim", { timeout: 8 * 60_000 }, async (t) => {
  try {
    const chain = defineChain({ id: net.chainId, name: "sheaf-devnet", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [net.l1] } } });
    const pub = createPublicClient({ chain, transport: http(net.l1), pollingInterval: 100 });
    const account = privateKeyToAccount(devnetL1Key(1));
    const wallet = createWalletClient({ chain, account, transport: http(net.l1), pollingInterval: 100 });
    const sheaf = new SheafClient(net.rpc);
    const ws = new SheafClient(net.ws, { WebSocket });
    t.after(() => ws.close());

    // The sequencer serves the deployment we were told; derive the key for it.
    const { info } = await sheaf.domain();
    assert.equal(info.contract.toLowerCase(), net.contract.toLowerCase());
    assert.equal(Number(BigInt(info.chainId)), net.chainId);
    const key = await deriveKey(signerFromAccount(account), { chainId: net.chainId, contract: net.contract });

    // Deposit 1 ETH: a new account once L2 takes it in.
    const l1Start = await pub.getBalance({ address: account.address });
    const d = await deposit(wallet, pub, net.contract, key, parseEth("1"));
    let seen = "";
    for (let i = 0; ; i++) {
      const st = await sheaf.getDeposit(d.queueIndex <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(d.queueIndex) : 0).catch(() => undefined);
      if (st) seen = st.status;
      if (st && st.status !== "queued") break;
      assert.ok(i < 600, `deposit not on L2 (last status ${seen || "unobserved"})`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const byHash = await sheaf.getDeposit(d.txHash);
    assert.equal(BigInt(byHash.queueIndex), d.queueIndex);
    const acc = await sheaf.getAccount(key.publicKeyHex());
    assert.equal(acc.pending.balance, parseEth("1").toString());

    // Transfer 0.1 ETH to account 1, then withdraw 0.25 ETH to our L1 address.
    const tFee = await sheaf.estimateFee("transfer");
    const tr = await sheaf.transfer(key, { to: 1, amount: parseEth("0.1") });
    const wFee = await sheaf.estimateFee("withdrawal");
    const wd = await sheaf.withdraw(key, { l1Address: account.address, amount: parseEth("0.25") });
    assert.equal(wd.args.nonce, 1, "the second transaction signs the next pending nonce");
    const statuses: string[] = [];
    const fin = await ws.waitTransaction(wd.hash, { onStatus: (x) => statuses.push(x.status) });
    assert.equal(fin.status, "finalized", `statuses ${statuses}`);
    assert.equal((await sheaf.getTransaction(tr.hash)).status, "finalized");

    // L2: 1 − 0.1 − 0.25 ETH − fees; the history lists both, newest first.
    const after = await sheaf.getAccount(acc.index);
    const l2Want = parseEth("1") - parseEth("0.1") - parseEth("0.25") - tFee - wFee;
    assert.equal(BigInt(after.sealed.balance), l2Want);
    assert.equal(after.sealed.nonce, 2);
    const hist = await sheaf.getTransactions(acc.index);
    assert.deepEqual(hist.transactions.map((x) => x.hash), [wd.hash, tr.hash]);
    assert.equal(hist.next, undefined);

    // L1: claimable, claim, claimed; the address got 0.25 ETH back less gas.
    const batch = Number(fin.batchNumber);
    const before = await withdrawalL1Status(pub, net.contract, { batchNumber: batch, l1Address: account.address, fromBlock: net.deploymentBlock });
    assert.equal(before.status, "claimable");
    assert.equal(before.claimable, parseEth("0.25"));
    const c = await claim(wallet, pub, net.contract);
    assert.equal(c.amount, parseEth("0.25"));
    assert.equal(await pendingWithdrawal(pub, net.contract, account.address), 0n);
    const afterClaim = await withdrawalL1Status(pub, net.contract, { batchNumber: batch, l1Address: account.address, fromBlock: net.deploymentBlock });
    assert.equal(afterClaim.status, "claimed");
    const gas = d.receipt.gasUsed * d.receipt.effectiveGasPrice + c.receipt.gasUsed * c.receipt.effectiveGasPrice;
    const l1End = await pub.getBalance({ address: account.address });
    assert.equal(l1End, l1Start - parseEth("1") + parseEth("0.25") - gas);
  } catch (e) {
    t.diagnostic(net.log().slice(-6000));
    throw e;
  }
});

// The web example (examples/web) in headless Chromium against the same
// devnet: a test-only injected EIP-1193 provider backed by a devnet key
// stands in for MetaMask; the page derives the key, shows the balance and
// sends a transfer.
test("web example in headless Chromium", { timeout: 5 * 60_000 }, async (t) => {
  const exe = process.env.SHEAF_CHROMIUM ?? "/usr/bin/chromium";
  if (!existsSync(exe)) {
    t.skip(`no Chromium at ${exe} (apt-get install chromium; .ci/run installs it)`);
    return;
  }
  const { chromium } = await import("playwright-core");
  const chain = defineChain({ id: net.chainId, name: "sheaf-devnet", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [net.l1] } } });
  const pub = createPublicClient({ chain, transport: http(net.l1), pollingInterval: 100 });
  const account = privateKeyToAccount(devnetL1Key(0));
  const wallet = createWalletClient({ chain, account, transport: http(net.l1), pollingInterval: 100 });
  const sheaf = new SheafClient(net.rpc);

  // Fund the key the page will derive (same account, same deployment).
  const key = await deriveKey(signerFromAccount(account), { chainId: net.chainId, contract: net.contract });
  const d = await deposit(wallet, pub, net.contract, key, parseEth("1"));
  for (let i = 0; ; i++) {
    const st = await sheaf.getDeposit(Number(d.queueIndex)).catch(() => undefined);
    if (st && st.status !== "queued") break;
    assert.ok(i < 600, "deposit not on L2");
    await new Promise((r) => setTimeout(r, 100));
  }

  // The page, served as static files.
  const root = join(repoRoot, "sdk", "ts", "examples", "web");
  const server = createHttpServer((req, res) => {
    const name = (req.url ?? "/").split("?")[0] === "/" ? "index.html" : (req.url ?? "").split("?")[0].slice(1);
    if (!["index.html", "app.js"].includes(name)) {
      res.writeHead(name === "favicon.ico" ? 204 : 404).end();
      return;
    }
    res.writeHead(200, { "Content-Type": name.endsWith(".js") ? "text/javascript" : "text/html" });
    res.end(readFileSync(join(root, name)));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => server.close());
  const port = (server.address() as { port: number }).port;

  const browser = await chromium.launch({ executablePath: exe, args: ["--no-sandbox"] });
  t.after(() => browser.close());
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  const consoleLines: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  page.on("console", (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  const calls: string[] = [];
  const waitText = async (what: string, pred: string, arg: unknown, timeout: number) => {
    try {
      await page.waitForFunction(pred, arg, { timeout });
    } catch (e) {
      const error = await page.textContent("#error").catch(() => "?");
      throw new Error(`${what}: ${(e as Error).message}\npage error text: ${error}\npage errors: ${pageErrors.join("; ")}\nconsole: ${consoleLines.join("\n")}\nprovider calls: ${calls.join(", ")}`);
    }
  };
  await page.exposeFunction("__sheafTestEth", async (method: string, params: string) => {
    calls.push(method);
    const p = JSON.parse(params) as unknown[];
    switch (method) {
      case "eth_requestAccounts":
      case "eth_accounts":
        return JSON.stringify([account.address]);
      case "eth_chainId":
        return JSON.stringify("0x" + net.chainId.toString(16));
      case "eth_signTypedData_v4": {
        if (String(p[0]).toLowerCase() !== account.address.toLowerCase()) throw new Error("unknown account");
        const td = JSON.parse(String(p[1]));
        delete td.types.EIP712Domain;
        return JSON.stringify(await account.signTypedData(td));
      }
      default: {
        const r = await fetch(net.l1, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: p }) });
        const j = (await r.json()) as { result?: unknown; error?: { message: string } };
        if (j.error) throw new Error(j.error.message);
        return JSON.stringify(j.result);
      }
    }
  });
  // A string, not a function: tsx's transform would leave helpers the page lacks.
  await page.addInitScript({
    content: "window.ethereum = { request: async ({ method, params }) => JSON.parse(await window.__sheafTestEth(method, JSON.stringify(params ?? []))) };",
  });
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.fill("#rpc", net.rpc);
  await page.click("#connect");
  await waitText("the derived key", `document.getElementById("pubkey")?.textContent === ${JSON.stringify(key.publicKeyHex())}`, undefined, 60_000);
  await waitText("the balance", `document.getElementById("balance")?.textContent === "1 ETH"`, undefined, 60_000);
  assert.equal(await page.textContent("#address"), account.address);
  assert.deepEqual(calls.filter((c) => c === "eth_signTypedData_v4").length, 2, "the page asks for the signature twice");
  const index = Number(await page.textContent("#account"));

  await page.fill("#to", "1");
  await page.fill("#amount", "0.01");
  await page.click("#send");
  await waitText("the transfer sealed", `["sealed", "proven", "submitted", "finalized"].includes(document.getElementById("status")?.textContent ?? "")`, undefined, 120_000);
  const hash = (await page.textContent("#tx")) as Hex;
  assert.match(await page.textContent("#confirm") ?? "", /Transfer 0\.01 ETH on Sheaf from account \d+ to account 1/);
  const tx = await sheaf.getTransaction(hash);
  assert.equal(tx.from, index);
  assert.equal(tx.to, 1);
  assert.equal(BigInt(tx.amount), parseEth("0.01"));
  const acc = await sheaf.getAccount(index);
  assert.equal(BigInt(acc.pending.balance), parseEth("1") - parseEth("0.01") - BigInt(tx.fee));
  assert.equal(await page.textContent("#error"), "");
  assert.deepEqual(pageErrors, []);
});
