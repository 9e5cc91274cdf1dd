// A minimal wallet page on @sheaf/sdk: no framework. Built into app.js by
// `npm run build:web` (esbuild); tested in headless Chromium by
// test/integration (an injected test provider stands in for MetaMask).
import {
  SheafClient,
  deriveKey,
  describeTransaction,
  formatEth,
  parseEth,
  signerFromProvider,
  type EIP1193Like,
  type SheafKey,
  type Hex,
} from "../../src/index.js";

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

let client: SheafClient | undefined;
let key: SheafKey | undefined;
let index: number | undefined;

function show(err: unknown): void {
  $("error").textContent = err instanceof Error ? err.message : String(err);
}

async function refresh(): Promise<void> {
  if (!client || !key) return;
  try {
    const acc = await client.getAccount(index ?? key.publicKeyHex());
    index = acc.index;
    $("account").textContent = String(acc.index);
    $("balance").textContent = formatEth(BigInt(acc.pending.balance));
    $("nonce").textContent = String(acc.pending.nonce);
    ($("send") as HTMLButtonElement).disabled = false;
  } catch (e) {
    $("account").textContent = "none yet: deposit to your Sheaf public key on L1";
    show(e);
  }
}

$("connect").addEventListener("click", async () => {
  show("");
  try {
    const provider = (window as unknown as { ethereum?: EIP1193Like }).ethereum;
    if (!provider) throw new Error("no injected Ethereum wallet (window.ethereum)");
    client = new SheafClient(($("rpc") as HTMLInputElement).value);
    const { info } = await client.domain(); // checks the domainState before anything is signed
    const signer = await signerFromProvider(provider);
    $("address").textContent = signer.address;
    key = await deriveKey(signer, { chainId: BigInt(info.chainId), contract: info.contract });
    $("pubkey").textContent = key.publicKeyHex();
    ($("refresh") as HTMLButtonElement).disabled = false;
    await refresh();
  } catch (e) {
    show(e);
  }
});

$("refresh").addEventListener("click", () => void refresh());

$("send").addEventListener("click", async () => {
  show("");
  if (!client || !key || index === undefined) return;
  try {
    const to = Number(($("to") as HTMLInputElement).value);
    const amount = parseEth(($("amount") as HTMLInputElement).value);
    const fee = await client.estimateFee("transfer");
    $("confirm").textContent = describeTransaction(
      { kind: "transfer", from: index, to, amount: amount.toString(), fee: fee.toString(), nonce: Number($("nonce").textContent) },
      formatEth,
    );
    const s = await client.transfer(key, { to, amount, fee, from: index });
    $("tx").textContent = s.hash;
    await client.waitTransaction(s.hash as Hex, { until: "sealed", pollMs: 250, onStatus: (t) => ($("status").textContent = t.status) });
    await refresh();
  } catch (e) {
    show(e);
  }
});
