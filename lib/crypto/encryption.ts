// AES-256-GCM for secrets at rest. The format names the key it was sealed with so a later key
// rotation can tell old ciphertexts apart: v1.<keyId>.<iv>.<tag>.<ciphertext> (base64url parts).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { getEnv } from "@/lib/env";

const version = "v1";

function keyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("base64url").slice(0, 8);
}

/** Thrown when a ciphertext cannot be opened: wrong key, tampering, or a corrupt row. */
export class DecryptionError extends Error {
  override name = "DecryptionError";
}

export function encryptSecret(plaintext: string, key: Buffer = getEnv().encryptionKey): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [version, keyId(key), iv.toString("base64url"), tag.toString("base64url"), ciphertext.toString("base64url")].join(".");
}

export function decryptSecret(sealed: string, key: Buffer = getEnv().encryptionKey): string {
  const [ver, id, iv, tag, ciphertext] = sealed.split(".");
  if (ver !== version || !id || !iv || !tag || ciphertext === undefined) {
    throw new DecryptionError("Unrecognised ciphertext format");
  }
  if (id !== keyId(key)) throw new DecryptionError("Ciphertext was sealed with a different ENCRYPTION_KEY");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch (cause) {
    throw new DecryptionError("Ciphertext failed authentication", { cause });
  }
}

export function encryptJson(value: unknown, key?: Buffer): string {
  return encryptSecret(JSON.stringify(value), key);
}

export function decryptJson(sealed: string, key?: Buffer): unknown {
  return JSON.parse(decryptSecret(sealed, key));
}
