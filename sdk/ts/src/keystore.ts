// Encrypted key files, version 2 (docs/api.md, `sheaf wallet` key files):
// the same format as the Go client, so a key file moves between the CLI
// and a TypeScript wallet. scrypt (@noble/hashes) stretches the password;
// AES-256-GCM (WebCrypto) encrypts gnark's 96-byte key with additional
// data "sheaf.keystore.v2" ‖ publicKey.
import { scryptAsync } from "@noble/hashes/scrypt.js";
import { randomBytes } from "@noble/hashes/utils.js";

import { bytesToHex, concatBytes, equalBytes, hexToBytes, utf8, type Hex } from "./bytes.js";
import { SheafKey } from "./eddsa.js";

export interface ScryptParams {
  n: number;
  r: number;
  p: number;
}

/** go-ethereum's standard cost (256 MiB, about a second). */
export const STANDARD_SCRYPT: ScryptParams = { n: 1 << 18, r: 8, p: 1 };
/** Cheap: tests and throw-away keys only. */
export const LIGHT_SCRYPT: ScryptParams = { n: 1 << 12, r: 8, p: 1 };

export interface Derivation {
  scheme: string;
  address: string;
  chainId: string;
  contract: string;
  keyIndex: number;
}

export interface KeyFileV2 {
  version: 2;
  publicKey: Hex;
  crypto: {
    kdf: "scrypt";
    kdfparams: { n: number; r: number; p: number; salt: Hex };
    cipher: "aes-256-gcm";
    nonce: Hex;
    ciphertext: Hex;
  };
  derivation?: Derivation;
}

export interface KeyFileV1 {
  version: 1;
  development?: boolean;
  privateKey: Hex;
  publicKey: Hex;
}

const AD = utf8("sheaf.keystore.v2");

// WebCrypto wants ArrayBuffer-backed views.
function ab(u: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(u);
}

function checkParams(p: ScryptParams): void {
  if (!(p.n >= 2 && (p.n & (p.n - 1)) === 0 && p.n <= 1 << 22)) throw new Error(`scrypt n ${p.n}: want a power of two in [2, 2^22]`);
  if (!(p.r >= 1 && p.r <= 32)) throw new Error(`scrypt r ${p.r} out of [1, 32]`);
  if (!(p.p >= 1 && p.p <= 16)) throw new Error(`scrypt p ${p.p} out of [1, 16]`);
}

async function aesKey(password: string | Uint8Array, salt: Uint8Array, p: ScryptParams): Promise<CryptoKey> {
  const pw = typeof password === "string" ? utf8(password) : password;
  const raw = await scryptAsync(pw, salt, { N: p.n, r: p.r, p: p.p, dkLen: 32, maxmem: 2 ** 31 });
  return globalThis.crypto.subtle.importKey("raw", ab(raw), "AES-GCM", false, ["encrypt", "decrypt"]);
}

/** Encrypts a key into a version-2 key file object (JSON.stringify it to save). */
export async function encryptKey(key: SheafKey, password: string | Uint8Array, params: ScryptParams = STANDARD_SCRYPT, derivation?: Derivation): Promise<KeyFileV2> {
  if (password.length === 0) throw new Error("empty password");
  checkParams(params);
  const salt = randomBytes(32);
  const nonce = randomBytes(12);
  const pub = key.publicKey();
  const ct = new Uint8Array(
    await globalThis.crypto.subtle.encrypt({ name: "AES-GCM", iv: ab(nonce), additionalData: ab(concatBytes(AD, pub)) }, await aesKey(password, salt, params), ab(key.toBytes())),
  );
  const f: KeyFileV2 = {
    version: 2,
    publicKey: bytesToHex(pub),
    crypto: { kdf: "scrypt", kdfparams: { ...params, salt: bytesToHex(salt) }, cipher: "aes-256-gcm", nonce: bytesToHex(nonce), ciphertext: bytesToHex(ct) },
  };
  if (derivation) f.derivation = derivation;
  return f;
}

/** Opens a key file (version 2 with the password, or a plain version-1 development file). */
export async function decryptKey(file: KeyFileV1 | KeyFileV2 | string, password?: string | Uint8Array): Promise<SheafKey> {
  const f = (typeof file === "string" ? JSON.parse(file) : file) as KeyFileV1 | KeyFileV2;
  let key: SheafKey;
  if (f.version === 1) {
    key = SheafKey.fromBytes(f.privateKey);
  } else if (f.version === 2) {
    const c = f.crypto;
    if (c.kdf !== "scrypt" || c.cipher !== "aes-256-gcm") throw new Error(`key file: kdf ${c.kdf}, cipher ${c.cipher}: want scrypt and aes-256-gcm`);
    const params = { n: c.kdfparams.n, r: c.kdfparams.r, p: c.kdfparams.p };
    checkParams(params);
    const salt = hexToBytes(c.kdfparams.salt);
    const nonce = hexToBytes(c.nonce, 12);
    const pub = hexToBytes(f.publicKey, 32);
    if (salt.length < 16) throw new Error("key file: salt too short");
    if (password === undefined) throw new Error("key file is encrypted: a password is needed");
    let plain: Uint8Array;
    try {
      plain = new Uint8Array(
        await globalThis.crypto.subtle.decrypt({ name: "AES-GCM", iv: ab(nonce), additionalData: ab(concatBytes(AD, pub)) }, await aesKey(password, salt, params), ab(hexToBytes(c.ciphertext))),
      );
    } catch {
      throw new Error("wrong password (or the key file was altered)");
    }
    key = SheafKey.fromBytes(plain);
  } else {
    throw new Error(`key file: version ${(f as { version: unknown }).version}, want 1 or 2`);
  }
  if (!equalBytes(key.publicKey(), hexToBytes(f.publicKey, 32))) throw new Error("key file: publicKey is not the private key's");
  return key;
}
