// Whether this worker should claim a newly seen job. Pure: everything it needs is passed in, so every skip has a
// reason that can be logged and tested. Claiming a job we then cannot serve costs the user time, so be strict.
import { hexToBigInt, isAddressEqual, zeroAddress, type Hex } from "viem";

export type JobOffer = {
  modelId: `0x${string}`;
  paymentToken: `0x${string}`;
  pricePerToken: bigint;
  maxContext: number;
  /** Whether this offer takes verifiable jobs (its engine can guarantee a busy run equals a validator's alone). */
  verifiable: boolean;
};

export type DecideJobParameters = {
  job: {
    modelId: `0x${string}`;
    paymentToken: `0x${string}`;
    maxPricePerToken: bigint;
    maxOutputTokens: number;
    minTier: number;
    deadline: number;
    provider: `0x${string}`;
    verifiable: boolean;
  };
  me: `0x${string}`;
  myTier: number;
  offers: readonly JobOffer[];
  /** Seconds, chain time. */
  now: number;
  /** Seconds the worker needs at least between claim and submission (inference + proving + inclusion). */
  minTimeToDeadline: number;
  /** Seconds a job claimed now would wait behind the jobs already taken (for the engine, then for the prover). */
  queueSeconds: number;
  engineHealthy: boolean;
  /** The engine of the job's model passed its determinism self-test (required for verifiable jobs only). */
  selfTestPassed: boolean;
  freeSlots: number;
  /** Claims the free stake can still back: (stake − locked) ÷ job collateral, less claims not yet mined. A claim past
   *  it would pass its own simulation (run before the others are mined) and then revert on-chain, burning gas. */
  stakeSlots: number;
};

export type SkipReason =
  | "named-another-provider"
  | "model-not-offered"
  | "payment-token-not-offered"
  | "price-below-offer"
  | "tier-too-low"
  | "deadline-too-close"
  | "verifiable-not-offered"
  | "engine-unhealthy"
  | "self-test-pending"
  | "no-capacity"
  | "queue-too-long"
  | "stake-exhausted";

/** Reasons that leave the job for a later decision rather than skip it: they pass as jobs settle or engines recover. */
export const WAIT_REASONS: readonly SkipReason[] = [
  "engine-unhealthy",
  "self-test-pending",
  "no-capacity",
  "queue-too-long",
  "stake-exhausted",
];

export type DecideJobReturnType = { take: true; offer: JobOffer } | { take: false; reason: SkipReason };

/** Model ids are bytes32 (not addresses): equal whatever the letter case of their hex. */
const sameModel = (a: Hex, b: Hex) => hexToBigInt(a) === hexToBigInt(b);

export function decideJob(p: DecideJobParameters): DecideJobReturnType {
  const { job } = p;
  const open = isAddressEqual(job.provider, zeroAddress);
  if (!open && !isAddressEqual(job.provider, p.me)) return { take: false, reason: "named-another-provider" };
  const forModel = p.offers.filter((o) => sameModel(o.modelId, job.modelId));
  if (forModel.length === 0) return { take: false, reason: "model-not-offered" };
  const offer = forModel.find((o) => isAddressEqual(o.paymentToken, job.paymentToken));
  if (!offer) return { take: false, reason: "payment-token-not-offered" };
  if (job.maxPricePerToken < offer.pricePerToken) return { take: false, reason: "price-below-offer" };
  if (p.myTier < job.minTier) return { take: false, reason: "tier-too-low" };
  if (job.verifiable && !offer.verifiable) return { take: false, reason: "verifiable-not-offered" };
  // An open job's user may deliver the key as late as the key deadline the claim sets, which is at most half the
  // time left (JobMarket.claimJob): only the other half is sure to remain for the work. A named job has its key.
  const sure = open ? Math.floor((job.deadline - p.now) / 2) : job.deadline - p.now;
  if (sure < p.minTimeToDeadline) return { take: false, reason: "deadline-too-close" };
  if (!p.engineHealthy) return { take: false, reason: "engine-unhealthy" };
  // Until the self-test passes, a verifiable job could be answered differently than a committee would re-run it.
  if (job.verifiable && !p.selfTestPassed) return { take: false, reason: "self-test-pending" };
  if (p.freeSlots <= 0) return { take: false, reason: "no-capacity" };
  // Not a skip: the jobs ahead will be done, and the job may fit then (a job that names us has no one else).
  if (job.deadline - p.now < p.minTimeToDeadline + p.queueSeconds) return { take: false, reason: "queue-too-long" };
  if (p.stakeSlots <= 0) return { take: false, reason: "stake-exhausted" };
  return { take: true, offer };
}
