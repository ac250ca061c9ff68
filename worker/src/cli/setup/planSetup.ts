// What `octo-worker setup` must send to bring a provider from where it stands to serving one model: a pure function
// of the chain's state and the provider's wishes, so that a rerun plans only what differs (nothing, once done) and
// every blocker is named before the first transaction.
import { formatUnits, type Address, type Hex } from "viem";
import { TIER_NAMES } from "./chooseTier.ts";

export type SetupState = {
  address: Address;
  gasBalance: bigint;
  octo: { decimals: number; balance: bigint; allowance: bigint };
  provider: {
    registered: boolean;
    accepting: boolean;
    tier: number;
    stake: bigint;
    unbonding: bigint;
    unbondableAt: number;
  };
  minimums: readonly bigint[];
  model: { modelId: Hex; registered: boolean; active: boolean; minTier: number };
  offer: { active: boolean; pricePerToken: bigint; maxContext: number; capacity: number; determinismClass: Hex };
};

export type SetupWishes = {
  tier: number;
  /** Stake to hold, in token units; at least the tier's minimum. */
  stake?: bigint | undefined;
  paymentToken: Address;
  /** Price per output token in the payment token's units; the standing offer's when omitted. */
  pricePerToken?: bigint | undefined;
  maxContext: number;
  /** Jobs served at once (the config's `capacity`). */
  capacity: number;
  /** The engine's determinism class (declaredClasses), or the standing offer's for an engine setup does not run. */
  determinismClass: Hex;
};

export type SetupStep =
  | { kind: "register"; tier: number }
  | { kind: "setTier"; tier: number }
  | { kind: "approve"; amount: bigint }
  | { kind: "stake"; amount: bigint }
  | { kind: "accept" }
  | {
      kind: "offer";
      modelId: Hex;
      paymentToken: Address;
      pricePerToken: bigint;
      maxContext: number;
      capacity: number;
      determinismClass: Hex;
    };

/** A reason the plan cannot run, with what to do about it. */
export type SetupBlocker = { reason: "octo" | "unbonding" | "model" | "price" | "modelTier"; message: string };

export type SetupPlan = { steps: SetupStep[]; blockers: SetupBlocker[]; targetStake: bigint };

export function planSetup(state: SetupState, wishes: SetupWishes): SetupPlan {
  const steps: SetupStep[] = [];
  const blockers: SetupBlocker[] = [];
  const { provider, model } = state;
  const minimum = state.minimums[wishes.tier] ?? 0n;
  const octo = (units: bigint) => `${formatUnits(units, state.octo.decimals)} OCTO`;

  if (!model.registered) blockers.push({ reason: "model", message: `model ${model.modelId} is not in the registry` });
  else if (!model.active)
    blockers.push({
      reason: "model",
      message: `model ${model.modelId} is not active in the registry (deprecated or retired): it takes no new offers`,
    });
  else if (wishes.tier < model.minTier) {
    blockers.push({
      reason: "modelTier",
      message: `the model needs tier ${TIER_NAMES[model.minTier] ?? model.minTier} or higher; ${TIER_NAMES[wishes.tier] ?? wishes.tier} was chosen (--tier)`,
    });
  }

  if (!provider.registered) steps.push({ kind: "register", tier: wishes.tier });
  else if (provider.tier !== wishes.tier) steps.push({ kind: "setTier", tier: wishes.tier });

  const targetStake = [minimum, wishes.stake ?? 0n, provider.stake].reduce((a, b) => (a > b ? a : b));
  const more = targetStake - provider.stake;
  if (provider.unbonding > 0n) {
    blockers.push({
      reason: "unbonding",
      message: `${octo(provider.unbonding)} is unbonding until ${new Date(provider.unbondableAt * 1000).toISOString()}: a provider with stake unbonding takes no jobs; withdraw it then (octo-worker withdraw)`,
    });
  }
  if (more > 0n) {
    if (state.octo.balance < more) {
      blockers.push({
        reason: "octo",
        message: `staking ${octo(more)} more needs ${octo(more - state.octo.balance)} more than the ${octo(state.octo.balance)} the wallet holds`,
      });
    }
    if (state.octo.allowance < more) steps.push({ kind: "approve", amount: more });
    steps.push({ kind: "stake", amount: more });
  }
  if (!provider.accepting) steps.push({ kind: "accept" });

  const price = wishes.pricePerToken ?? (state.offer.active ? state.offer.pricePerToken : undefined);
  if (price === undefined || price <= 0n)
    blockers.push({
      reason: "price",
      message: "the first offer needs a price: --price <payment-token units per output token>",
    });
  else if (
    !state.offer.active ||
    state.offer.pricePerToken !== price ||
    state.offer.maxContext !== wishes.maxContext ||
    state.offer.capacity !== wishes.capacity ||
    state.offer.determinismClass !== wishes.determinismClass
  ) {
    steps.push({
      kind: "offer",
      modelId: model.modelId,
      paymentToken: wishes.paymentToken,
      pricePerToken: price,
      maxContext: wishes.maxContext,
      capacity: wishes.capacity,
      determinismClass: wishes.determinismClass,
    });
  }
  return { steps, blockers, targetStake };
}
