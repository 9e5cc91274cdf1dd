// JSON-RPC client for the Sheaf wallet API (docs/api.md): HTTP for calls,
// WebSocket for calls and subscriptions (newBatches, transactionStatus).
import { fieldFromHex, toHex32, type Hex } from "./bytes.js";
import { SheafKey } from "./eddsa.js";
import { domainState, signTransfer, signWithdrawal, type SendArgs, type SignedTransaction } from "./message.js";
import { checkAmount, checkFee } from "./amount.js";

export interface ChainInfo {
  chainId: Hex;
  contract: Hex;
  depth: number;
  deposits: number;
  transfers: number;
  withdrawals: number;
  feeAccount: number;
  domainState: Hex;
}

export interface AccountState {
  balance: string;
  nonce: number;
}

export interface AccountInfo {
  index: number;
  pubKey: Hex;
  pending: AccountState;
  sealed: AccountState;
  sealedBatch: number;
  finalized?: AccountState;
}

export type TxStatus = "pending" | "sealed" | "proven" | "submitted" | "finalized" | "rejected";

export interface TxInfo {
  hash: Hex;
  kind: "transfer" | "withdrawal";
  from: number;
  to?: number;
  l1Address?: Hex;
  amount: string;
  fee: string;
  nonce: number;
  status: TxStatus;
  reason?: string;
  /** a number (older servers: a hex quantity) */
  batchNumber?: number | Hex;
  receivedAt: number;
}

export interface BatchInfo {
  number: number;
  status: string;
  oldRoot: Hex;
  newRoot: Hex;
  publicInput: Hex;
  depositStart: number;
  deposits: number;
  transfers: number;
  withdrawals: number;
  pubdata: Hex;
  transactions: Hex[];
  sealedAt: number;
}

export interface BatchNumbers {
  sealed: number;
  proven: number;
  finalized: number;
}

export interface AccountProof {
  index: number;
  batchNumber: number;
  root: Hex;
  leaf: Hex;
  pubKey?: Hex;
  balance: string;
  nonce: number;
  siblings: Hex[];
}

export interface TransactionsPage {
  transactions: TxInfo[];
  /** pass as `cursor` for the next (older) page; absent on the last page */
  next?: string;
}

export interface TransactionsQuery {
  /** statuses to keep (default: all) */
  status?: TxStatus[];
  /** page size (server default 50, at most 1000) */
  limit?: number;
  cursor?: string;
}

export type DepositStatus = "queued" | "sealed" | "proven" | "submitted" | "finalized";

export interface DepositInfo {
  queueIndex: number;
  l1TxHash?: Hex;
  l1Block: number;
  pubKey: Hex;
  amount: string;
  status: DepositStatus;
  /** the L2 account it went to, once sealed */
  account?: number;
  batchNumber?: number;
  /** queued only: deposits ahead of it in the queue that L2 has not consumed */
  queuePosition?: number;
}

/** A JSON-RPC error; match on `code` (docs/api.md, Errors). */
export class SheafRpcError extends Error {
  readonly code: number;
  readonly reason?: string;
  readonly field?: string;
  readonly data?: unknown;
  constructor(code: number, message: string, data?: { reason?: string; field?: string } | unknown) {
    super(message);
    this.name = "SheafRpcError";
    this.code = code;
    this.data = data;
    if (data && typeof data === "object") {
      const d = data as { reason?: string; field?: string };
      this.reason = d.reason;
      this.field = d.field;
    }
  }
}

/** The server's domainState is not the one its chainId and contract imply: sign nothing. */
export class DomainMismatchError extends Error {
  constructor(server: Hex, local: Hex) {
    super(`server's domainState ${server} does not match its chainId and contract (${local}): refusing to sign`);
    this.name = "DomainMismatchError";
  }
}

type WebSocketCtor = new (url: string) => WebSocket;

export interface ClientOptions {
  /** WebSocket constructor (default: globalThis.WebSocket; on Node 20 pass the `ws` package's) */
  WebSocket?: unknown;
  /** fetch implementation (default: globalThis.fetch) */
  fetch?: typeof fetch;
}

/** A live subscription; `unsubscribe` ends it. */
export interface Subscription {
  id: string;
  unsubscribe(): Promise<void>;
}

const TERMINAL: TxStatus[] = ["finalized", "rejected"];
const RANK: Record<string, number> = { pending: 0, sealed: 1, proven: 2, submitted: 3, finalized: 4 };

interface Pending {
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

export class SheafClient {
  readonly url: string;
  private readonly fetchImpl: typeof fetch;
  private readonly WS?: WebSocketCtor;
  private ws?: WebSocket;
  private wsReady?: Promise<WebSocket>;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly subs = new Map<string, (result: unknown) => void>();
  private readonly early = new Map<string, unknown[]>();
  private chain?: { info: ChainInfo; ds: bigint };

  constructor(url: string, opts: ClientOptions = {}) {
    this.url = url;
    this.fetchImpl = opts.fetch ?? globalThis.fetch?.bind(globalThis);
    this.WS = (opts.WebSocket ?? (globalThis as { WebSocket?: unknown }).WebSocket) as WebSocketCtor | undefined;
  }

  private get isWS(): boolean {
    return this.url.startsWith("ws://") || this.url.startsWith("wss://");
  }

  /** Calls a method; errors are SheafRpcError. */
  async call<T>(method: string, ...params: unknown[]): Promise<T> {
    if (this.isWS) return this.wsCall<T>(method, params);
    const body = JSON.stringify({ jsonrpc: "2.0", id: this.nextId++, method, params });
    const res = await this.fetchImpl(this.url, { method: "POST", headers: { "Content-Type": "application/json" }, body });
    let msg: { result?: T; error?: { code: number; message: string; data?: unknown } };
    try {
      msg = await res.json();
    } catch {
      throw new SheafRpcError(-32603, `HTTP ${res.status}: not a JSON-RPC response`);
    }
    if (msg.error) throw new SheafRpcError(msg.error.code, msg.error.message, msg.error.data);
    return msg.result as T;
  }

  private connect(): Promise<WebSocket> {
    if (this.wsReady) return this.wsReady;
    if (!this.WS) throw new Error("no WebSocket implementation: pass { WebSocket } (Node 20: the ws package)");
    const ws = new this.WS(this.url);
    this.ws = ws;
    this.wsReady = new Promise((resolve, reject) => {
      ws.onopen = () => resolve(ws);
      ws.onerror = (e: Event) => reject(new Error(`WebSocket ${this.url}: ${(e as { message?: string }).message ?? "error"}`));
    });
    ws.onmessage = (ev: MessageEvent) => this.onMessage(String(ev.data));
    ws.onclose = () => {
      for (const p of this.pending.values()) p.reject(new Error("WebSocket closed"));
      this.pending.clear();
      this.wsReady = undefined;
    };
    return this.wsReady;
  }

  private onMessage(data: string): void {
    const msg = JSON.parse(data);
    if (msg.method === "sheaf_subscription" && msg.params) {
      const { subscription, result } = msg.params;
      const h = this.subs.get(subscription);
      if (h) h(result);
      else (this.early.get(subscription) ?? this.early.set(subscription, []).get(subscription)!).push(result);
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.error) p.reject(new SheafRpcError(msg.error.code, msg.error.message, msg.error.data));
    else p.resolve(msg.result);
  }

  private async wsCall<T>(method: string, params: unknown[]): Promise<T> {
    const ws = await this.connect();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      ws.send(JSON.stringify({ jsonrpc: "2.0", id, method, params }));
    });
  }

  /** Subscribes (WebSocket URLs only): "newBatches" or "transactionStatus" with a hash. */
  async subscribe<T>(name: "newBatches" | "transactionStatus", params: unknown[], onResult: (r: T) => void): Promise<Subscription> {
    if (!this.isWS) throw new Error("subscriptions need a ws:// or wss:// URL");
    const id = await this.wsCall<string>("sheaf_subscribe", [name, ...params]);
    this.subs.set(id, onResult as (r: unknown) => void);
    for (const r of this.early.get(id) ?? []) (onResult as (r: unknown) => void)(r);
    this.early.delete(id);
    return {
      id,
      unsubscribe: async () => {
        this.subs.delete(id);
        await this.wsCall<boolean>("sheaf_unsubscribe", [id]).catch(() => undefined);
      },
    };
  }

  /** Closes the WebSocket connection (if any). */
  close(): void {
    this.ws?.close();
    this.ws = undefined;
    this.wsReady = undefined;
  }

  // --- methods (docs/api.md) ---

  chainId(): Promise<ChainInfo> {
    return this.call("sheaf_chainId");
  }

  sendTransaction(args: SendArgs): Promise<Hex> {
    return this.call("sheaf_sendTransaction", args);
  }

  getTransaction(hash: Hex): Promise<TxInfo> {
    return this.call("sheaf_getTransaction", hash);
  }

  /** By index (number) or compressed public key (hex: the key's first account). */
  getAccount(ref: number | Hex): Promise<AccountInfo> {
    return this.call("sheaf_getAccount", ref);
  }

  getAccountProof(ref: number | Hex, batch?: number): Promise<AccountProof> {
    return batch ? this.call("sheaf_getAccountProof", ref, batch) : this.call("sheaf_getAccountProof", ref);
  }

  getBatch(n: number): Promise<BatchInfo> {
    return this.call("sheaf_getBatch", n);
  }

  batchNumber(): Promise<BatchNumbers> {
    return this.call("sheaf_batchNumber");
  }

  async estimateFee(kind: "transfer" | "withdrawal"): Promise<bigint> {
    const r = await this.call<{ kind: string; fee: string }>("sheaf_estimateFee", kind);
    return BigInt(r.fee);
  }

  /** An account's transactions, newest first, one page at a time. */
  getTransactions(account: number, q: TransactionsQuery = {}): Promise<TransactionsPage> {
    const opts: Record<string, unknown> = {};
    if (q.status) opts.status = q.status;
    if (q.limit !== undefined) opts.limit = q.limit;
    if (q.cursor !== undefined) opts.cursor = q.cursor;
    return this.call("sheaf_getTransactions", account, opts);
  }

  /** A deposit by L1 transaction hash (its first deposit) or queue index. */
  getDeposit(ref: Hex | number): Promise<DepositInfo> {
    return this.call("sheaf_getDeposit", ref);
  }

  // --- wallet helpers ---

  /** The deployment with its domainState recomputed and checked (cached). */
  async domain(): Promise<{ info: ChainInfo; ds: bigint }> {
    if (this.chain) return this.chain;
    const info = await this.chainId();
    const ds = domainState(BigInt(info.chainId), info.contract);
    if (toHex32(ds) !== info.domainState.toLowerCase()) throw new DomainMismatchError(info.domainState, toHex32(ds));
    this.chain = { info, ds };
    return this.chain;
  }

  /** The nonce to sign with next: the account's pending nonce (every accepted transaction counted). */
  async pendingNonce(account: number | Hex): Promise<number> {
    return (await this.getAccount(account)).pending.nonce;
  }

  private async sender(key: SheafKey, from?: number): Promise<AccountInfo> {
    const acc = await this.getAccount(from ?? key.publicKeyHex());
    if (acc.pubKey.toLowerCase() !== key.publicKeyHex()) throw new Error(`account ${acc.index} belongs to ${acc.pubKey}, not to this key`);
    return acc;
  }

  /**
   * Signs a transfer with the sender's pending nonce (and the estimated fee
   * unless given) after checking amount and fee, sends it, and checks the
   * returned hash.
   */
  async transfer(key: SheafKey, p: { to: number; amount: bigint; fee?: bigint; from?: number; nonce?: number }): Promise<SignedTransaction> {
    checkAmount(p.amount);
    if (p.fee !== undefined) checkFee(p.fee);
    const [{ ds }, acc, fee] = await Promise.all([this.domain(), this.sender(key, p.from), p.fee ?? this.estimateFee("transfer")]);
    const s = signTransfer(key, ds, { from: acc.index, to: p.to, amount: p.amount, fee, nonce: p.nonce ?? acc.pending.nonce });
    return this.send(s);
  }

  /** As transfer, for a withdrawal to an L1 address (claim it on L1 once finalized). */
  async withdraw(key: SheafKey, p: { l1Address: Hex; amount: bigint; fee?: bigint; from?: number; nonce?: number }): Promise<SignedTransaction> {
    checkAmount(p.amount);
    if (p.fee !== undefined) checkFee(p.fee);
    const [{ ds }, acc, fee] = await Promise.all([this.domain(), this.sender(key, p.from), p.fee ?? this.estimateFee("withdrawal")]);
    const s = signWithdrawal(key, ds, { from: acc.index, l1Address: p.l1Address, amount: p.amount, fee, nonce: p.nonce ?? acc.pending.nonce });
    return this.send(s);
  }

  private async send(s: SignedTransaction): Promise<SignedTransaction> {
    const h = await this.sendTransaction(s.args);
    if (h.toLowerCase() !== s.hash) throw new Error(`server returned hash ${h}, the signed message is ${s.hash}`);
    return s;
  }

  /**
   * Waits until the transaction reaches `until` (default finalized) or is
   * rejected; reports each status. Subscribes over WebSocket, polls over HTTP.
   */
  async waitTransaction(hash: Hex, opts: { until?: TxStatus; pollMs?: number; onStatus?: (t: TxInfo) => void; signal?: AbortSignal } = {}): Promise<TxInfo> {
    const until = opts.until ?? "finalized";
    const done = (t: TxInfo) => TERMINAL.includes(t.status) || (RANK[t.status] ?? -1) >= (RANK[until] ?? 4);
    if (this.isWS) {
      return new Promise<TxInfo>((resolve, reject) => {
        let sub: Subscription | undefined;
        let finished: TxInfo | undefined;
        const finish = (t: TxInfo) => {
          finished = t;
          void sub?.unsubscribe();
          resolve(t);
        };
        opts.signal?.addEventListener("abort", () => {
          void sub?.unsubscribe();
          reject(opts.signal?.reason ?? new Error("aborted"));
        });
        this.subscribe<TxInfo>("transactionStatus", [hash], (t) => {
          if (finished) return;
          opts.onStatus?.(t);
          if (done(t)) finish(t);
        }).then((s) => {
          sub = s;
          if (finished) void s.unsubscribe();
        }, reject);
      });
    }
    let last = "";
    for (;;) {
      opts.signal?.throwIfAborted();
      const t = await this.getTransaction(hash);
      if (t.status !== last) {
        last = t.status;
        opts.onStatus?.(t);
      }
      if (done(t)) return t;
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 1000));
    }
  }
}

/** Parses a field element result (hashes, roots) from the API. */
export function fieldOf(h: Hex): bigint {
  return fieldFromHex(h);
}
