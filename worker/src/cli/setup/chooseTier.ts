// Which hardware tier a provider should register for: what its GPUs suggest, capped by the OCTO it can stake (each
// tier has a minimum stake), unless it asks for one.
import type { GpuInfo } from "../../determinism/readGpus.ts";

export const TIER_NAMES = ["Consumer", "Prosumer", "Enterprise"] as const;

export type ChooseTierParameters = {
  gpus: readonly GpuInfo[];
  /** OCTO the provider can stake: its stake plus its wallet's balance, in token units. */
  available: bigint;
  /** Each tier's minimum stake, in token units (StakingRegistry.tierMinimumStake). */
  minimums: readonly bigint[];
  /** A tier the provider asked for. */
  requested?: number | undefined;
};
export type ChooseTierReturnType = { tier: number; hardwareTier: number; affordableTier: number; why: string };

/** The tier hardware of this class is sold for: none or older GPUs Consumer, Ampere/Ada Prosumer, Hopper and later Enterprise. */
export function hardwareTier(gpus: readonly GpuInfo[]): number {
  const best = Math.max(0, ...gpus.map((g) => g.computeCapability));
  return best >= 9 ? 2 : best >= 8 ? 1 : 0;
}

export function chooseTier({ gpus, available, minimums, requested }: ChooseTierParameters): ChooseTierReturnType {
  const hw = hardwareTier(gpus);
  let affordable = -1;
  minimums.forEach((min, t) => {
    if (min <= available) affordable = t;
  });
  const gpuWords =
    gpus.length === 0
      ? "no NVIDIA GPU found"
      : `${gpus.length} GPU(s), best ${gpus.map((g) => `${g.name} (cc ${g.computeCapability})`).join(", ")}`;
  if (requested !== undefined)
    return {
      tier: requested,
      hardwareTier: hw,
      affordableTier: affordable,
      why: `asked for ${TIER_NAMES[requested] ?? requested}`,
    };
  const tier = Math.max(0, Math.min(hw, affordable));
  const why =
    affordable < hw
      ? `${gpuWords} suggests ${TIER_NAMES[hw]}, the OCTO at hand stakes up to ${affordable < 0 ? "no tier" : TIER_NAMES[affordable]}`
      : `${gpuWords}: ${TIER_NAMES[hw]}`;
  return { tier, hardwareTier: hw, affordableTier: affordable, why };
}
