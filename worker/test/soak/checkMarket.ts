// What the soak proves at the end, read from the chain alone (events and views, nothing the harness remembers): every
// job ended exactly once and paid out at most its escrow, each payment token's balance is accounted for, and every
// stake is what its deposits, withdrawals and slashes say.
import { erc20Abi, parseEventLogs, type Address, type PublicClient } from "viem";
import { jobMarketAbi, JobStatusNames, stakingRegistryAbi, type JobStatusName } from "@octo/sdk";

export type CheckMarketParameters = {
  publicClient: PublicClient;
  jobMarket: Address;
  stakingRegistry: Address;
  stakingToken: Address;
};

export type CheckMarketReturnType = {
  /** Jobs by final status. */
  byStatus: Partial<Record<JobStatusName, number>>;
  jobs: number;
  /** Jobs not in a terminal status. */
  lostJobs: bigint[];
  /** Jobs with more than one settlement event, or paid out more than their escrow. */
  doublePaid: bigint[];
  /** Each broken accounting rule, in words (empty when the books balance). */
  accounting: string[];
  /** Slashes per provider (lower-case address → count) and their OCTO. */
  slashes: Map<string, { count: number; amount: bigint }>;
  disputes: number;
};

const TERMINAL = new Set<JobStatusName>(["Finalized", "Cancelled", "TimedOut", "Slashed", "Refunded"]);

export async function checkMarket({
  publicClient,
  jobMarket,
  stakingRegistry,
  stakingToken,
}: CheckMarketParameters): Promise<CheckMarketReturnType> {
  const logsOf = async (address: Address) => publicClient.getLogs({ address, fromBlock: 0n, toBlock: "latest" });
  const market = parseEventLogs({ abi: jobMarketAbi, logs: await logsOf(jobMarket) });
  const staking = parseEventLogs({ abi: stakingRegistryAbi, logs: await logsOf(stakingRegistry) });
  const marketContract = { address: jobMarket, abi: jobMarketAbi } as const;

  // Jobs: one settlement each, never more out than in.
  const escrow = new Map<bigint, bigint>();
  const tokenOf = new Map<bigint, Address>();
  const settlements = new Map<bigint, { count: number; out: bigint }>();
  const settle = (jobId: bigint, out: bigint) => {
    const s = settlements.get(jobId) ?? { count: 0, out: 0n };
    settlements.set(jobId, { count: s.count + 1, out: s.out + out });
  };
  let disputes = 0;
  const tokens = new Set<Address>();
  for (const e of market) {
    switch (e.eventName) {
      case "JobCreated":
        escrow.set(e.args.jobId, e.args.escrow);
        tokenOf.set(e.args.jobId, e.args.request.paymentToken);
        break;
      case "JobFinalized":
        settle(e.args.jobId, e.args.providerAmount + e.args.feeAmount + e.args.refundAmount);
        break;
      case "JobCancelled":
      case "JobTimedOut":
      case "JobSlashed":
        settle(e.args.jobId, e.args.refund);
        break;
      // A release refunds (and ends) a named job or one whose key never came; an open job's release only reopens it.
      case "JobReleased":
        if (e.args.refund > 0n) settle(e.args.jobId, e.args.refund);
        break;
      case "DisputeOpened":
        disputes++;
        break;
      case "PaymentTokenSet":
        if (e.args.allowed) tokens.add(e.args.token);
        else tokens.delete(e.args.token);
        break;
    }
  }

  const byStatus: CheckMarketReturnType["byStatus"] = {};
  const lostJobs: bigint[] = [];
  const doublePaid: bigint[] = [];
  const liveEscrow = new Map<string, bigint>();
  for (const [jobId, paid] of escrow) {
    const status =
      JobStatusNames[
        (await publicClient.readContract({ ...marketContract, functionName: "getJob", args: [jobId] })).status
      ]!;
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    const s = settlements.get(jobId) ?? { count: 0, out: 0n };
    if (!TERMINAL.has(status)) {
      lostJobs.push(jobId);
      const token = tokenOf.get(jobId)!.toLowerCase();
      liveEscrow.set(token, (liveEscrow.get(token) ?? 0n) + paid);
      if (s.count > 0) doublePaid.push(jobId);
    } else if (s.count !== 1 || s.out > paid) doublePaid.push(jobId);
  }

  // Per token: the market holds exactly live escrow + unclaimed fees + accounts' balances (provider earnings,
  // refunds of balance-paid jobs, deposits, failed transfers).
  const accounting: string[] = [];
  for (const token of tokens) {
    const balance = await publicClient.readContract({
      address: token,
      abi: erc20Abi,
      functionName: "balanceOf",
      args: [jobMarket],
    });
    const fees = await publicClient.readContract({ ...marketContract, functionName: "accruedFees", args: [token] });
    const balances = await publicClient.readContract({
      ...marketContract,
      functionName: "totalBalance",
      args: [token],
    });
    const live = liveEscrow.get(token.toLowerCase()) ?? 0n;
    if (balance !== live + fees + balances)
      accounting.push(`${token}: market holds ${balance}, live escrow ${live} + fees ${fees} + balances ${balances}`);
  }

  // Stakes: each provider's stake + unbonding is its deposits − withdrawals − slashes, nothing stays locked once every
  // job has ended, and the registry holds exactly the sum.
  const flows = new Map<string, bigint>();
  const slashes = new Map<string, { count: number; amount: bigint }>();
  const providers = new Set<Address>();
  const add = (who: Address, amount: bigint) =>
    flows.set(who.toLowerCase(), (flows.get(who.toLowerCase()) ?? 0n) + amount);
  for (const e of staking) {
    if (e.eventName === "ProviderRegistered") providers.add(e.args.provider);
    if (e.eventName === "Staked") add(e.args.provider, e.args.amount);
    if (e.eventName === "Withdrawn") add(e.args.provider, -e.args.amount);
    if (e.eventName === "ProviderSlashed") {
      add(e.args.provider, -e.args.amount);
      const s = slashes.get(e.args.provider.toLowerCase()) ?? { count: 0, amount: 0n };
      slashes.set(e.args.provider.toLowerCase(), { count: s.count + 1, amount: s.amount + e.args.amount });
    }
  }
  let held = 0n;
  for (const provider of providers) {
    const p = await publicClient.readContract({
      address: stakingRegistry,
      abi: stakingRegistryAbi,
      functionName: "getProvider",
      args: [provider],
    });
    const expected = flows.get(provider.toLowerCase()) ?? 0n;
    if (p.stake + p.unbonding !== expected)
      accounting.push(`${provider}: stake ${p.stake} + unbonding ${p.unbonding}, its events say ${expected}`);
    if (lostJobs.length === 0 && p.locked !== 0n)
      accounting.push(`${provider}: ${p.locked} still locked with every job ended`);
    held += p.stake + p.unbonding;
  }
  const registryBalance = await publicClient.readContract({
    address: stakingToken,
    abi: erc20Abi,
    functionName: "balanceOf",
    args: [stakingRegistry],
  });
  if (registryBalance !== held) accounting.push(`staking registry holds ${registryBalance}, its stakes sum to ${held}`);

  return { byStatus, jobs: escrow.size, lostJobs, doublePaid, accounting, slashes, disputes };
}
