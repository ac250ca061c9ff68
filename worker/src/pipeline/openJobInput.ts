// From what the chain carries to what the engine needs: unwrap the job secret with the provider's X25519 key, derive
// the job keys, check them against the user's key commitment, and open the sealed prompt. Every failure here is the
// input's fault (InputFaultError): the worker hands the job back and the user is refunded in full.
import { decodeJobEnvelope, deriveJobKeys, keyCommitment, openPrompt, unwrapJobSecret } from "@octo/circuits";
import {
  decodeJobInput,
  isSampledDecoding,
  renderJobInput,
  type ChatTemplate,
  type DecodedJobInput,
  type DecodingParameters,
} from "@octo/sdk";
import { hexToBytes, type Hex } from "viem";
import { BaseError } from "../errors/BaseError.ts";

export type OpenJobInputParameters = {
  envelope: Hex;
  /** The job secret wrapped for us outside the envelope, and the ephemeral key it was wrapped under: the user's
   *  JobKeyDelivered (a job that named no provider, or no longer does) or a JobSecretRevealed to a dispute committee. */
  delivered?: { ephemeralPublicKey: Hex; wrappedSecret: Hex } | undefined;
  /** The job names this provider, so the envelope's own wrap is ours (its ephemeral key is the request's
   *  userPublicKey); it is used when nothing was delivered. Any other job's envelope wrap, if it has one, was made for
   *  another provider (one that was named and handed the job back): only a delivery opens it for us. */
  namesUs: boolean;
  userPublicKey: Hex;
  keyCommitment: bigint;
  providerPrivateKey: Uint8Array;
  /** The job's model's chat template (from its GGUF), for chat input; the sdk's fixed template when undefined. */
  chatTemplate?: ChatTemplate | undefined;
  /** The job is verifiable: its input must decode greedily (a sampled one could not be re-checked by re-running it). */
  verifiable: boolean;
};

export type OpenJobInputReturnType = {
  prompt: string;
  /** How the user asked the output to be decoded: greedy (temperature 0) for every verifiable job. */
  decoding: DecodingParameters;
  outputKey: bigint;
  promptKey: Uint8Array;
  jobSecret: Uint8Array;
};

export type InputFault = "InputUndecryptable" | "KeyNotDelivered";

export class InputFaultError extends BaseError {
  override name = "InputFaultError";
  readonly fault: InputFault;
  constructor(fault: InputFault, message: string, options?: { cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.fault = fault;
  }
}

export function openJobInput(p: OpenJobInputParameters): OpenJobInputReturnType {
  let envelope: ReturnType<typeof decodeJobEnvelope>;
  try {
    envelope = decodeJobEnvelope(hexToBytes(p.envelope));
  } catch (e) {
    throw new InputFaultError("InputUndecryptable", "malformed job envelope", { cause: e });
  }
  const wrapped = p.delivered
    ? { wrapped: hexToBytes(p.delivered.wrappedSecret), ephemeralPublicKey: hexToBytes(p.delivered.ephemeralPublicKey) }
    : p.namesUs && envelope.wrappedSecret
      ? { wrapped: envelope.wrappedSecret, ephemeralPublicKey: hexToBytes(p.userPublicKey) }
      : undefined;
  if (!wrapped) throw new InputFaultError("KeyNotDelivered", "the job secret has not been delivered");

  let keys: ReturnType<typeof deriveJobKeys>;
  let prompt: Uint8Array;
  let jobSecret: Uint8Array;
  try {
    jobSecret = unwrapJobSecret({ ...wrapped, providerPrivateKey: p.providerPrivateKey });
    keys = deriveJobKeys({ jobSecret });
    prompt = openPrompt({ promptKey: keys.promptKey, sealed: envelope.sealedPrompt });
  } catch (e) {
    throw new InputFaultError("InputUndecryptable", "cannot open the job secret or the prompt", { cause: e });
  }
  // A secret that does not match the committed key could never be proven: the user's fault, not ours.
  if (keyCommitment({ outputKey: keys.outputKey }) !== p.keyCommitment) {
    throw new InputFaultError("InputUndecryptable", "the delivered job secret does not match the key commitment");
  }
  // The input is versioned (@octo/sdk jobInput): a plain prompt or chat messages, rendered to the text the engine
  // completes exactly as every validator renders it: chat messages with the model's own template.
  let decoded: DecodedJobInput;
  let rendered: string;
  try {
    decoded = decodeJobInput(prompt);
    rendered = renderJobInput(decoded, { chatTemplate: p.chatTemplate });
  } catch (e) {
    throw new InputFaultError("InputUndecryptable", "the job input is not UTF-8 or not a valid versioned input", {
      cause: e,
    });
  }
  // The sdk refuses to create such a job; one made without it is handed back (the user's fault: refunded, no slash).
  if (p.verifiable && isSampledDecoding(decoded.decoding))
    throw new InputFaultError(
      "InputUndecryptable",
      `a verifiable job must decode greedily, but its input samples at temperature ${decoded.decoding.temperature}`,
    );
  return {
    prompt: rendered,
    decoding: decoded.decoding,
    outputKey: keys.outputKey,
    promptKey: keys.promptKey,
    jobSecret,
  };
}
