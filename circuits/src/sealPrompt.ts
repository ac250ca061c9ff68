// The prompt: sealed = nonce(24) ‖ XChaCha20-Poly1305(promptKey, nonce, aad = "octo/v1/prompt").seal(prompt).
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { randomBytes } from "@noble/hashes/utils.js";
import { PROMPT_AAD } from "./constants.ts";
import { DecryptionError, OutOfRangeError } from "./errors.ts";
import { concatBytes } from "./field.ts";

const NONCE_BYTES = 24;
const aad = new TextEncoder().encode(PROMPT_AAD);

export type SealPromptParameters = {
  promptKey: Uint8Array;
  prompt: Uint8Array;
  /** Fixed nonce, for test vectors only; random when omitted. */
  nonce?: Uint8Array;
};

export function sealPrompt({ promptKey, prompt, nonce = randomBytes(NONCE_BYTES) }: SealPromptParameters): Uint8Array {
  if (nonce.length !== NONCE_BYTES) throw new OutOfRangeError("nonce length", nonce.length, "24 bytes");
  return concatBytes(nonce, xchacha20poly1305(promptKey, nonce, aad).encrypt(prompt));
}

export type OpenPromptParameters = { promptKey: Uint8Array; sealed: Uint8Array };

export function openPrompt({ promptKey, sealed }: OpenPromptParameters): Uint8Array {
  if (sealed.length < NONCE_BYTES + 16) throw new DecryptionError("sealed prompt (too short)");
  try {
    return xchacha20poly1305(promptKey, sealed.subarray(0, NONCE_BYTES), aad).decrypt(sealed.subarray(NONCE_BYTES));
  } catch (e) {
    throw new DecryptionError("sealed prompt", e);
  }
}
