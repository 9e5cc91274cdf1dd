// The JSON-RPC client against a stand-in server (HTTP and WebSocket) that
// checks each request's form and answers as docs/api.md says.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { once } from "node:events";
import WebSocket, { WebSocketServer } from "ws";

import { SheafClient, SheafRpcError, DomainMismatchError, type TxInfo } from "../src/rpc.js";
import { SheafKey } from "../src/eddsa.js";
import { NotRepresentableError } from "../src/amount.js";
import { readJSON } from "./vectors.js";

const v = readJSON("vectors.json");
const key0 = SheafKey.fromBytes(v.Keys[0].Private);

const chain = {
  chainId: "0x7a69",
  contract: "0x5eaf010000000000000000000000000000000000",
  depth: 8, deposits: 2, transfers: 4, withdrawals: 2, feeAccount: 1,
  domainState: "0x2f29eb0b4eb7bf97a0bf21a6fb39abf3988d2fe05c80197b85ca45cf48db562c",
};

type Handler = (method: string, params: any[]) => unknown;

async function serve(handle: Handler) {
  const seen: { method: string; params: any[] }[] = [];
  const answer = (msg: any) => {
    seen.push({ method: msg.method, params: msg.params });
    try {
      return { jsonrpc: "2.0", id: msg.id, result: handle(msg.method, msg.params) };
    } catch (e: any) {
      return { jsonrpc: "2.0", id: msg.id, error: { code: e.code ?? -32603, message: e.message, data: e.data } };
    }
  };
  const http = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    for await (const c of req) body += c;
    assert.equal(req.headers["content-type"], "application/json");
    res.setHeader("Content-Type", "application/json");
    res.end(JSON.stringify(answer(JSON.parse(body))));
  });
  const wss = new WebSocketServer({ server: http });
  wss.on("connection", (ws) => {
    ws.on("message", (data) => {
      const msg = JSON.parse(String(data));
      if (msg.method === "sheaf_subscribe") {
        seen.push({ method: msg.method, params: msg.params });
        const id = "0xabc";
        ws.send(JSON.stringify({ jsonrpc: "2.0", id: msg.id, result: id }));
        const note = (result: unknown) => ws.send(JSON.stringify({ jsonrpc: "2.0", method: "sheaf_subscription", params: { subscription: id, result } }));
        const base = { hash: msg.params[1], kind: "transfer", from: 1, to: 2, amount: "1", fee: "10", nonce: 0, receivedAt: 1 };
        for (const status of ["pending", "sealed", "proven", "submitted", "finalized"]) note({ ...base, status });
        return;
      }
      ws.send(JSON.stringify(answer(msg)));
    });
  });
  http.listen(0, "127.0.0.1");
  await once(http, "listening");
  const port = (http.address() as any).port;
  return {
    seen,
    http: `http://127.0.0.1:${port}/`,
    ws: `ws://127.0.0.1:${port}/`,
    close: () => { wss.close(); http.close(); },
  };
}

function rpcError(code: number, message: string, data?: unknown) {
  return Object.assign(new Error(message), { code, data });
}

test("transfer: domain check, pending nonce, fee estimate, signature, hash check", async () => {
  const s = await serve((method, params) => {
    switch (method) {
      case "sheaf_chainId": return chain;
      case "sheaf_getAccount":
        assert.deepEqual(params, [key0.publicKeyHex()]);
        return { index: 1, pubKey: key0.publicKeyHex(), pending: { balance: "1000000000", nonce: 0 }, sealed: { balance: "1000000000", nonce: 0 }, sealedBatch: 1 };
      case "sheaf_estimateFee": return { kind: params[0], fee: "10" };
      case "sheaf_sendTransaction":
        assert.deepEqual(Object.keys(params[0]).sort(), ["amount", "fee", "from", "kind", "nonce", "signature", "to"]);
        return "0x022a7d0bb0e3bae59150c039caa27f7f8d6db89ad9b5e9af2fa7f9374737294a";
    }
    throw rpcError(-32601, "no method");
  });
  try {
    const c = new SheafClient(s.http);
    const t = await c.transfer(key0, { to: 2, amount: 1500000n });
    assert.equal(t.hash, "0x022a7d0bb0e3bae59150c039caa27f7f8d6db89ad9b5e9af2fa7f9374737294a");
    assert.equal(t.args.signature, "0x20c4ddcdcd085c8149cbd21b7ae2d75ddebc3a55de2729aee284c1adbcfcbb1604ac7f3fea77478419dace6cdeae8f5c5c71e8269278da64d09446c8c373fd3a");
    // Not representable: refused before anything is sent.
    const before = s.seen.length;
    await assert.rejects(c.transfer(key0, { to: 2, amount: 4294967297n }), NotRepresentableError);
    await assert.rejects(c.transfer(key0, { to: 2, amount: 1000n, fee: 65n }), /63 and 70/);
    assert.equal(s.seen.length, before);
  } finally {
    s.close();
  }
});

test("a lying domainState: nothing is signed", async () => {
  const s = await serve((method) => {
    if (method === "sheaf_chainId") return { ...chain, domainState: "0x" + "11".repeat(32) };
    if (method === "sheaf_getAccount") return { index: 1, pubKey: key0.publicKeyHex(), pending: { balance: "1", nonce: 0 }, sealed: { balance: "1", nonce: 0 }, sealedBatch: 0 };
    if (method === "sheaf_estimateFee") return { kind: "transfer", fee: "10" };
    throw new Error("unexpected " + method);
  });
  try {
    await assert.rejects(new SheafClient(s.http).transfer(key0, { to: 2, amount: 1n }), DomainMismatchError);
    assert.ok(!s.seen.some((x) => x.method === "sheaf_sendTransaction"));
  } finally {
    s.close();
  }
});

test("errors carry code, reason and field", async () => {
  const s = await serve(() => { throw rpcError(-38011, "wrong nonce: got 0, account is at 1", { reason: "wrong_nonce", field: "nonce" }); });
  try {
    const err = await new SheafClient(s.http).getTransaction("0x" + "00".repeat(32) as `0x${string}`).catch((e) => e);
    assert.ok(err instanceof SheafRpcError);
    assert.equal(err.code, -38011);
    assert.equal(err.reason, "wrong_nonce");
    assert.equal(err.field, "nonce");
  } finally {
    s.close();
  }
});

test("WebSocket: calls and a transaction's statuses until finalized", async () => {
  const s = await serve((method) => (method === "sheaf_batchNumber" ? { sealed: 3, proven: 2, finalized: 1 } : true));
  const c = new SheafClient(s.ws, { WebSocket });
  try {
    assert.deepEqual(await c.batchNumber(), { sealed: 3, proven: 2, finalized: 1 });
    const statuses: string[] = [];
    const h = ("0x" + "22".repeat(32)) as `0x${string}`;
    const t: TxInfo = await c.waitTransaction(h, { onStatus: (x) => statuses.push(x.status) });
    assert.equal(t.status, "finalized");
    assert.deepEqual(statuses, ["pending", "sealed", "proven", "submitted", "finalized"]);
    const sealed = await c.waitTransaction(h, { until: "sealed" });
    assert.equal(sealed.status, "sealed");
    assert.ok(s.seen.some((x) => x.method === "sheaf_subscribe" && x.params[0] === "transactionStatus" && x.params[1] === h));
  } finally {
    c.close();
    s.close();
  }
});

test("getTransactions and getDeposit send the documented parameters", async () => {
  const s = await serve((method, params) => {
    if (method === "sheaf_getTransactions") return { transactions: [], params };
    if (method === "sheaf_getDeposit") return { queueIndex: params[0], status: "queued" };
    throw new Error(method);
  });
  try {
    const c = new SheafClient(s.http);
    await c.getTransactions(7, { status: ["pending"], limit: 2, cursor: "abc" });
    assert.deepEqual(s.seen.at(-1)!.params, [7, { status: ["pending"], limit: 2, cursor: "abc" }]);
    await c.getTransactions(7);
    assert.deepEqual(s.seen.at(-1)!.params, [7, {}]);
    await c.getDeposit(5);
    assert.deepEqual(s.seen.at(-1)!.params, [5]);
  } finally {
    s.close();
  }
});
