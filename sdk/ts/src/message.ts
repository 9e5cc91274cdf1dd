// Signed messages (docs/protocol.md, Signed messages; docs/api.md, Signing
// step by step): the deployment's domain state and the two lanes of a
// transfer or withdrawal, hashed with Poseidon2.
import { R, asciiTag, bytesToHex, hexToBytes, bytesToBigBE, toHex32, type Hex } from "./bytes.js";
import { compress } from "./poseidon2.js";
import { SheafKey } from "./eddsa.js";

export const TAG_LEAF = asciiTag("sheaf.leaf.v1");
export const TAG_MESSAGE = asciiTag("sheaf.msg.v1");

export const OP_TRANSFER = 1;
export const OP_WITHDRAWAL = 2;

const TWO_128 = 1n << 128n;
const TWO_32 = 1n << 32n;

/** An L1 address as a 160-bit integer. */
export function addressToBig(a: string): bigint {
  return bytesToBigBE(hexToBytes(a, 20));
}

/** D = chainId·2^160 + contract. */
export function domainElement(chainId: bigint, contract: string): bigint {
  if (chainId < 0n || chainId >= 1n << 64n) throw new Error("chain id: not 64 bits");
  return (chainId << 160n) | addressToBig(contract);
}

/** domainState = C(TagMessage, D): the first lane of every signed message. */
export function domainState(chainId: bigint, contract: string): bigint {
  return compress(TAG_MESSAGE, domainElement(chainId, contract));
}

function checkU32(v: number | bigint, what: string): bigint {
  const b = BigInt(v);
  if (b < 0n || b >= TWO_32) throw new Error(`${what}: not a 32-bit unsigned integer`);
  return b;
}

export interface MessageFields {
  type: number;
  from: number;
  nonce: number;
  /** transfer: the recipient index; withdrawal: the L1 address as an integer */
  recipient: bigint;
  amount: bigint;
  fee: bigint;
}

/** e1 = type·2^224 + from·2^192 + nonce·2^160 + recipient; e2 = fee·2^128 + amount. */
export function messageLanes(f: MessageFields): [bigint, bigint] {
  if (f.type !== OP_TRANSFER && f.type !== OP_WITHDRAWAL) throw new Error(`type ${f.type}: not 1 or 2`);
  if (f.recipient < 0n || f.recipient >= 1n << 160n) throw new Error("recipient: not 160 bits");
  if (f.amount < 0n || f.amount >= TWO_128) throw new Error("amount: not below 2^128");
  if (f.fee < 0n || f.fee >= TWO_128) throw new Error("fee: not below 2^128");
  const e1 = (BigInt(f.type) << 224n) | (checkU32(f.from, "from") << 192n) | (checkU32(f.nonce, "nonce") << 160n) | f.recipient;
  const e2 = (f.fee << 128n) | f.amount;
  if (e2 >= R) throw new Error("fee too large for the message lane");
  return [e1, e2];
}

/** m = C(C(domainState, e1), e2): the hash a wallet signs and the transaction's hash. */
export function messageHash(ds: bigint, f: MessageFields): bigint {
  const [e1, e2] = messageLanes(f);
  return compress(compress(ds, e1), e2);
}

export interface Transfer {
  from: number;
  to: number;
  amount: bigint;
  fee: bigint;
  nonce: number;
}

export interface Withdrawal {
  from: number;
  /** L1 recipient, 0x + 40 hex digits */
  l1Address: Hex;
  amount: bigint;
  fee: bigint;
  nonce: number;
}

export function transferHash(ds: bigint, t: Transfer): bigint {
  return messageHash(ds, { type: OP_TRANSFER, from: t.from, nonce: t.nonce, recipient: checkU32(t.to, "to"), amount: t.amount, fee: t.fee });
}

export function withdrawalHash(ds: bigint, w: Withdrawal): bigint {
  return messageHash(ds, { type: OP_WITHDRAWAL, from: w.from, nonce: w.nonce, recipient: addressToBig(w.l1Address), amount: w.amount, fee: w.fee });
}

/** sheaf_sendTransaction's parameter (docs/api.md, SendArgs). */
export interface SendArgs {
  kind: "transfer" | "withdrawal";
  from: number;
  to?: number;
  l1Address?: Hex;
  amount: string;
  fee: string;
  nonce: number;
  signature: Hex;
}

/** A signed transaction ready to send, with its hash (what the server returns). */
export interface SignedTransaction {
  args: SendArgs;
  hash: Hex;
}

export function signTransfer(key: SheafKey, ds: bigint, t: Transfer): SignedTransaction {
  const m = transferHash(ds, t);
  return {
    hash: toHex32(m),
    args: { kind: "transfer", from: t.from, to: t.to, amount: t.amount.toString(), fee: t.fee.toString(), nonce: t.nonce, signature: bytesToHex(key.sign(m)) },
  };
}

export function signWithdrawal(key: SheafKey, ds: bigint, w: Withdrawal): SignedTransaction {
  const m = withdrawalHash(ds, w);
  return {
    hash: toHex32(m),
    args: {
      kind: "withdrawal",
      from: w.from,
      l1Address: w.l1Address,
      amount: w.amount.toString(),
      fee: w.fee.toString(),
      nonce: w.nonce,
      signature: bytesToHex(key.sign(m)),
    },
  };
}

/** Readable text of what a transaction does, for the user to confirm before signing. */
export function describeTransaction(args: Pick<SendArgs, "kind" | "from" | "to" | "l1Address" | "amount" | "fee" | "nonce">, formatAmount: (wei: bigint) => string): string {
  const what = args.kind === "transfer" ? `Transfer ${formatAmount(BigInt(args.amount))} on Sheaf from account ${args.from} to account ${args.to}` : `Withdraw ${formatAmount(BigInt(args.amount))} from Sheaf account ${args.from} to the Ethereum address ${args.l1Address} (claim it on L1 once finalized)`;
  return `${what}; fee ${formatAmount(BigInt(args.fee))}; nonce ${args.nonce}.`;
}
