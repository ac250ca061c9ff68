/**
 * `octo-worker status` for a person: what the provider has at stake and locked, when unbonding ends, its jobs by step
 * and what it earned, in the tokens' own units. `--json` prints the same facts for scripts (amounts as decimal
 * strings in whole tokens).
 *
 * API: providerStatus(parameters): ProviderStatus; formatStatus(status): string
 */
import { formatEther, formatUnits, type Address } from "viem";

export type ProviderStatusParameters = {
  address: Address;
  gasBalance: bigint;
  provider: {
    registered: boolean;
    tier: number;
    accepting: boolean;
    stake: bigint;
    locked: bigint;
    unbonding: bigint;
    unbondableAt: number;
    completed: number;
    timedOut: number;
    disputed: number;
    slashed: number;
    released: number;
  };
  staking: { symbol: string; decimals: number; balance: bigint };
  payment: { symbol: string; decimals: number; earned: bigint };
  jobs: Partial<Record<string, number>>;
};
export type ProviderStatus = ReturnType<typeof providerStatus>;

const TIERS = ["Consumer", "Prosumer", "Enterprise"] as const;

export function providerStatus(p: ProviderStatusParameters) {
  const units = (v: bigint, d: number) => formatUnits(v, d);
  const { provider: s } = p;
  return {
    address: p.address,
    gas: formatEther(p.gasBalance),
    registered: s.registered,
    tier: s.registered ? (TIERS[s.tier] ?? `tier ${s.tier}`) : null,
    accepting: s.accepting,
    stake: units(s.stake, p.staking.decimals),
    locked: units(s.locked, p.staking.decimals),
    free: units(s.stake - s.locked, p.staking.decimals),
    unbonding: units(s.unbonding, p.staking.decimals),
    unbondableAt: s.unbonding > 0n ? new Date(s.unbondableAt * 1000).toISOString() : null,
    wallet: units(p.staking.balance, p.staking.decimals),
    stakingToken: p.staking.symbol,
    earned: units(p.payment.earned, p.payment.decimals),
    paymentToken: p.payment.symbol,
    jobs: p.jobs,
    record: {
      completed: s.completed,
      timedOut: s.timedOut,
      disputed: s.disputed,
      slashed: s.slashed,
      released: s.released,
    },
  };
}

export function formatStatus(s: ProviderStatus): string {
  const rows: [string, string][] = [
    ["provider", s.address],
    ["gas balance", `${s.gas} POL`],
    [
      "registered",
      s.registered
        ? `yes, ${s.tier}${s.accepting ? "" : " (paused: not accepting jobs)"}`
        : "no — run `octo-worker register --tier <0|1|2>`",
    ],
    ["stake", `${s.stake} ${s.stakingToken} (locked ${s.locked}, free ${s.free})`],
    ["unbonding", s.unbondableAt ? `${s.unbonding} ${s.stakingToken}, withdrawable from ${s.unbondableAt}` : "none"],
    [`${s.stakingToken} in wallet`, s.wallet],
    ["earned", `${s.earned} ${s.paymentToken} (finalized jobs this worker served)`],
    [
      "jobs (this worker)",
      Object.entries(s.jobs)
        .filter(([, n]) => n)
        .map(([step, n]) => `${step} ${n}`)
        .join(", ") || "none yet",
    ],
    [
      "on-chain record",
      `completed ${s.record.completed}, timed out ${s.record.timedOut}, disputed ${s.record.disputed}, slashed ${s.record.slashed}, released ${s.record.released}`,
    ],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join("\n");
}
