// @sheaf/sdk: keys from an Ethereum wallet, Sheaf's EdDSA over Poseidon2
// (byte for byte with the Go code), the JSON-RPC client and the L1 steps.
export * from "./bytes.js";
export * from "./poseidon2.js";
export * from "./eddsa.js";
export * from "./message.js";
export * from "./amount.js";
export * from "./derive.js";
export * from "./keystore.js";
export * from "./rpc.js";
export * from "./l1.js";
export { rollupAbi } from "./abi.js";
