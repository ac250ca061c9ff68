import { BaseError } from "../../../src/errors.ts";

/** Why a ceremony step, or a deploy that needs a ceremony's verifier, was refused. */
export type CeremonyErrorReason =
  | "badNetworkName"
  | "recordExists"
  | "recordMissing"
  | "badPtau"
  | "ptauMismatch"
  | "circuitMismatch"
  | "invalidZkey"
  | "transcriptMismatch"
  | "badBeacon"
  | "alreadyFinalized"
  | "notFinalized"
  | "tooFewContributions"
  | "keyMismatch"
  | "devKey"
  | "verifierMismatch";

export class CeremonyError extends BaseError {
  override name = "CeremonyError";
  readonly reason: CeremonyErrorReason;
  constructor(reason: CeremonyErrorReason, shortMessage: string, details?: string) {
    super(shortMessage, details === undefined ? {} : { details });
    this.reason = reason;
  }
}
