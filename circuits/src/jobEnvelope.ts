// The encrypted input a user posts with createJob (emitted as calldata, or stored at a URI):
//   envelope = version(1) ‖ wrappedLength(1) ‖ wrappedSecret(wrappedLength) ‖ sealedPrompt
// wrappedLength is 72 when the job names its provider (the job secret is wrapped for that provider's X25519 key under
// the request's userPublicKey) and 0 when it names none (the user sends the wrap later with deliverJobKey).
// A malformed envelope is the user's fault: the worker hands the job back as InputUndecryptable and the user is refunded.
import { DecryptionError } from "./errors.ts";
import { concatBytes } from "./field.ts";

export const JOB_ENVELOPE_VERSION = 1;
const WRAPPED_BYTES = 24 + 32 + 16;

export type JobEnvelope = { wrappedSecret?: Uint8Array; sealedPrompt: Uint8Array };

export function encodeJobEnvelope({ wrappedSecret, sealedPrompt }: JobEnvelope): Uint8Array {
  const wrapped = wrappedSecret ?? new Uint8Array();
  if (wrapped.length !== 0 && wrapped.length !== WRAPPED_BYTES)
    throw new DecryptionError(`job envelope (wrapped secret of ${wrapped.length} bytes)`);
  return concatBytes(Uint8Array.of(JOB_ENVELOPE_VERSION, wrapped.length), wrapped, sealedPrompt);
}

/** Throws DecryptionError on an unknown version or a truncated envelope. */
export function decodeJobEnvelope(envelope: Uint8Array): JobEnvelope {
  if (envelope.length < 2) throw new DecryptionError("job envelope (too short)");
  const [version, wrappedLength] = [envelope[0]!, envelope[1]!];
  if (version !== JOB_ENVELOPE_VERSION) throw new DecryptionError(`job envelope (version ${version})`);
  if (wrappedLength !== 0 && wrappedLength !== WRAPPED_BYTES)
    throw new DecryptionError(`job envelope (wrapped secret of ${wrappedLength} bytes)`);
  if (envelope.length < 2 + wrappedLength) throw new DecryptionError("job envelope (truncated)");
  const sealedPrompt = envelope.subarray(2 + wrappedLength);
  return wrappedLength === 0
    ? { sealedPrompt }
    : { wrappedSecret: envelope.subarray(2, 2 + wrappedLength), sealedPrompt };
}
