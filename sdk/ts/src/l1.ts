// The L1 side of a wallet through viem: deposit to a Sheaf key, claim (and
// claimTo) withdrawals, and the L1 status of a withdrawal. The ABI is the
// committed contract's (src/abi.ts, generated from l1/artifacts).
import {
  decodeEventLog,
  getAddress,
  parseAbi,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
  type WalletClient,
} from "viem";

import { rollupAbi } from "./abi.js";
import { SheafKey, parsePublicKey, compressPoint } from "./eddsa.js";
import { bytesToHex } from "./bytes.js";

/**
 * claimTo(to) pays the caller's credited withdrawals to another address
 * (docs/contracts.md). Kept as its own fragment so the SDK also builds
 * against contract artifacts that predate it; calling it on such a
 * contract reverts.
 */
export const claimToAbi = parseAbi(["function claimTo(address to)"]);

export interface DepositResult {
  txHash: Hex;
  /** the deposit's position in the contract's queue (sheaf_getDeposit takes it) */
  queueIndex: bigint;
  amount: bigint;
  receipt: TransactionReceipt;
}

type Writer = Pick<WalletClient, "writeContract" | "account" | "chain">;
type Reader = Pick<PublicClient, "readContract" | "waitForTransactionReceipt" | "getLogs" | "getBlockNumber">;

function accountOf(w: Writer) {
  if (!w.account) throw new Error("the wallet client has no account");
  return w.account;
}

/** The (x, y) the contract's deposit takes, from a key or a compressed public key. */
export function depositKeyXY(to: SheafKey | Hex): { x: bigint; y: bigint } {
  const p = typeof to === "string" ? parsePublicKey(to) : to.publicPoint;
  return p.toAffine();
}

/**
 * Deposits `amount` wei for a Sheaf key (a new account, or the key's first
 * account when it has one) and waits for the receipt; returns the queue
 * index from the Deposit event.
 */
export async function deposit(w: Writer, r: Reader, contract: Hex, to: SheafKey | Hex, amount: bigint): Promise<DepositResult> {
  if (amount <= 0n) throw new Error("deposit: the amount must be positive");
  const { x, y } = depositKeyXY(to);
  const txHash = await w.writeContract({
    address: contract,
    abi: rollupAbi,
    functionName: "deposit",
    args: [x, y],
    value: amount,
    account: accountOf(w),
    chain: w.chain ?? null,
  });
  const receipt = await r.waitForTransactionReceipt({ hash: txHash });
  if (receipt.status !== "success") throw new Error(`deposit ${txHash} reverted`);
  for (const log of receipt.logs) {
    if (getAddress(log.address) !== getAddress(contract)) continue;
    try {
      const ev = decodeEventLog({ abi: rollupAbi, data: log.data, topics: log.topics });
      if (ev.eventName === "Deposit") {
        const expect = bytesToHex(compressPoint(typeof to === "string" ? parsePublicKey(to) : to.publicPoint));
        if (ev.args.pubKey.toLowerCase() !== expect) throw new Error("deposit event names another key");
        return { txHash, queueIndex: ev.args.queueIndex, amount: ev.args.amount, receipt };
      }
    } catch (e) {
      if (e instanceof Error && e.message.startsWith("deposit event")) throw e;
    }
  }
  throw new Error(`deposit ${txHash}: no Deposit event`);
}

/** Wei credited to an address by accepted withdrawals, claimable now. */
export function pendingWithdrawal(r: Reader, contract: Hex, address: Hex): Promise<bigint> {
  return r.readContract({ address: contract, abi: rollupAbi, functionName: "pendingWithdrawals", args: [address] });
}

async function waitOk(r: Reader, hash: Hex, what: string): Promise<TransactionReceipt> {
  const receipt = await r.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`${what} ${hash} reverted`);
  return receipt;
}

/** Claims everything credited to the wallet's address (pull payment). Refuses when nothing is credited. */
export async function claim(w: Writer, r: Reader, contract: Hex): Promise<{ txHash: Hex; amount: bigint; receipt: TransactionReceipt }> {
  const account = accountOf(w);
  const amount = await pendingWithdrawal(r, contract, account.address);
  if (amount === 0n) throw new Error(`nothing to claim for ${account.address}`);
  const txHash = await w.writeContract({ address: contract, abi: rollupAbi, functionName: "claim", account, chain: w.chain ?? null });
  return { txHash, amount, receipt: await waitOk(r, txHash, "claim") };
}

/** Claims the wallet's credited withdrawals and pays them to another address. */
export async function claimTo(w: Writer, r: Reader, contract: Hex, to: Hex): Promise<{ txHash: Hex; amount: bigint; receipt: TransactionReceipt }> {
  const account = accountOf(w);
  const amount = await pendingWithdrawal(r, contract, account.address);
  if (amount === 0n) throw new Error(`nothing to claim for ${account.address}`);
  const txHash = await w.writeContract({ address: contract, abi: claimToAbi, functionName: "claimTo", args: [getAddress(to)], account, chain: w.chain ?? null });
  return { txHash, amount, receipt: await waitOk(r, txHash, "claimTo") };
}

export type WithdrawalL1Status = "not-credited" | "credited" | "claimable" | "claimed";

export interface WithdrawalL1Info {
  status: WithdrawalL1Status;
  /** the block whose batch credited it */
  creditedBlock?: bigint;
  creditedAmount?: bigint;
  /** what the address can claim now (all its credited withdrawals together) */
  claimable: bigint;
  claimedBlock?: bigint;
}

/**
 * Where a withdrawal stands on L1, given its batch number and L1 address:
 * not-credited (its batch is not accepted yet), credited then claimable
 * (pendingWithdrawals > 0), or claimed (a Claimed event for the address after
 * the credit: claims pay everything credited). fromBlock bounds the log
 * search (the deployment block).
 */
export async function withdrawalL1Status(r: Reader, contract: Hex, p: { batchNumber: bigint | number; l1Address: Hex; fromBlock?: bigint }): Promise<WithdrawalL1Info> {
  const fromBlock = p.fromBlock ?? 0n;
  const credits = await r.getLogs({
    address: contract,
    event: rollupAbi.find((x) => x.type === "event" && x.name === "WithdrawalCredited") as never,
    args: { batch: BigInt(p.batchNumber), to: p.l1Address } as never,
    fromBlock,
    toBlock: "latest",
  });
  const claimable = await pendingWithdrawal(r, contract, p.l1Address);
  if (credits.length === 0) return { status: "not-credited", claimable };
  const credit = credits[0] as unknown as { blockNumber: bigint; logIndex: number; args: { amount: bigint } };
  const claims = (await r.getLogs({
    address: contract,
    event: rollupAbi.find((x) => x.type === "event" && x.name === "Claimed") as never,
    args: { to: p.l1Address } as never,
    fromBlock: credit.blockNumber,
    toBlock: "latest",
  })) as unknown as { blockNumber: bigint; logIndex: number }[];
  const later = claims.find((c) => c.blockNumber > credit.blockNumber || (c.blockNumber === credit.blockNumber && c.logIndex > credit.logIndex));
  const base = { creditedBlock: credit.blockNumber, creditedAmount: credit.args.amount, claimable };
  if (later) return { ...base, status: "claimed", claimedBlock: later.blockNumber };
  return { ...base, status: claimable > 0n ? "claimable" : "credited" };
}
