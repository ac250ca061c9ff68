// seen → claiming | skipped, or left in 'seen' for a later decision (decideJob's WAIT_REASONS).
// The decision itself is decideJob (pure); this step gathers what it needs from the chain (time, free stake) and
// the engine (health), and starts a job that names us generating while it does.
import { readContract } from "viem/actions";
import { jobMarketAbi, stakingRegistryAbi } from "../chain/abis.ts";
import { cachedRead } from "../chain/cachedRead.ts";
import type { Engine } from "../engines/types.ts";
import { decideJob, WAIT_REASONS, type DecideJobReturnType } from "./decideJob.ts";
import type { LiveJob } from "./jobData.ts";
import type { PipelineContext } from "./pipelineContext.ts";
import { releaseJob } from "./releaseJob.ts";

/** What a decision needs beyond the job itself: chain time, the engine's health, the claims free stake can back, and
 *  how long the job would wait behind those already taken. */
type ChainSide = { now: number; engineHealthy: boolean; stakeSlots: number; queueSeconds: number };
type Stake = { free: bigint; collateral: bigint };

/** The decide step of one pipeline (it keeps the stake reads in flight and when it last warned about stake). */
export function createDecideStep(ctx: PipelineContext) {
  const { p } = ctx;
  const { store, client, me, logger } = p;
  /** Decisions that would take their job and are reading stake: each holds a slot until it settles, so a burst of
   *  new jobs reads stake only for the jobs it has room to claim, not for every job of the burst. */
  let stakeReads = 0;
  let stakeWarnedAt = -Infinity;
  // The collateral a claim locks is a governance parameter: it changes rarely, so a burst of jobs reads it once. Were
  // it raised in the meantime, a claim's simulation would catch it before anything is sent.
  const collateralPerJob = cachedRead(30_000, async () =>
    BigInt((await readContract(client, { address: p.market, abi: jobMarketAbi, functionName: "parameters" }))[5]),
  );
  /** Stake not locked by mined claims (read fresh: claims mined since the last read have locked more), and the
   *  collateral a claim locks. */
  const freeStake = async (): Promise<Stake> => {
    const [provider, collateral] = await Promise.all([
      readContract(client, { address: p.staking, abi: stakingRegistryAbi, functionName: "getProvider", args: [me] }),
      collateralPerJob(),
    ]);
    return { free: provider.stake - provider.locked, collateral };
  };
  const warnStakeExhausted = (stake: Stake) => {
    if (performance.now() - stakeWarnedAt < 60_000) return;
    stakeWarnedAt = performance.now();
    logger.warn(
      { freeStake: stake.free, collateralPerJob: stake.collateral },
      "free stake cannot back another claim: jobs wait until claims settle (or stake more)",
    );
  };
  const speculate = (job: LiveJob) => ctx.generations.speculate(job, ctx.engineOf(job.data.modelId));

  /** A job that names us is ours from its creation: the market locked our collateral in `createJob` and the job is
   *  Claimed. It is run (now, or once the engine has room) or handed back, never skipped: skipped, it would sit
   *  claimed until its deadline and time out against our stake. */
  async function takeNamed(job: LiveJob, decision: DecideJobReturnType): Promise<boolean> {
    if (decision.take) {
      ctx.advance(job, "claiming");
      speculate(job);
      return true;
    }
    if (WAIT_REASONS.includes(decision.reason)) {
      logger.debug({ jobId: job.jobId, reason: decision.reason }, "named job waits for the engine");
      return false;
    }
    p.metrics?.skipped?.(decision.reason);
    await releaseJob(
      ctx,
      job,
      decision.reason === "deadline-too-close" ? "OutOfCapacity" : "ModelUnavailable",
      decision.reason,
    );
    return false;
  }

  /** The decision's chain reads (time, stake) and its outcome; true when the job was taken. */
  async function decideOnChain(
    job: LiveJob,
    engine: Engine | undefined,
    decideWith: (on: ChainSide) => DecideJobReturnType,
  ): Promise<boolean> {
    const [now, health] = await Promise.all([ctx.chainTime(), engine?.health()]);
    const engineHealthy = health?.healthy ?? false;
    const queue = ctx.queueSeconds();
    p.metrics?.queue?.(queue);
    let decision = decideWith({ now, engineHealthy, stakeSlots: 1, queueSeconds: queue });
    if (ctx.namesMe(job)) return takeNamed(job, decision);
    let stake: Stake | undefined;
    if (decision.take) {
      // Stake is read only for a job we would take (not for every waiting job on every tick). Claims are counted
      // after the read and acted on in the same turn, so decisions running side by side see each other's: each
      // claim not yet mined holds one collateral the chain has not locked yet.
      stakeReads++;
      try {
        stake = await freeStake();
      } finally {
        stakeReads--;
      }
      decision = decideWith({
        now,
        engineHealthy,
        stakeSlots: Number(stake.free / stake.collateral) - store.countJobsInSteps(["claiming"]),
        queueSeconds: queue,
      });
    }
    if (decision.take) {
      ctx.advance(job, "claiming");
      if (ctx.namesMe(job)) speculate(job); // now, not a turn later in the claim step: the engine may be waiting
      return true;
    }
    if (decision.reason === "stake-exhausted" && stake) warnStakeExhausted(stake); // look again once jobs settle
    if (WAIT_REASONS.includes(decision.reason))
      logger.debug({ jobId: job.jobId, reason: decision.reason }, "job waits for a later decision");
    else {
      p.metrics?.skipped?.(decision.reason);
      ctx.advance(job, "skipped", { reason: decision.reason });
    }
    return false;
  }

  return async function decide(job: LiveJob): Promise<void> {
    p.metrics?.mark?.(job.jobId, "decide", performance.now());
    const d = job.data;
    const engine = ctx.engineOf(d.modelId);
    const decideWith = ({ now, engineHealthy, stakeSlots, queueSeconds }: ChainSide) =>
      decideJob({
        job: d,
        me,
        myTier: p.tier,
        offers: p.offers,
        now,
        minTimeToDeadline: p.minTimeToDeadline ?? 60,
        engineHealthy,
        selfTestPassed: p.selfTestPassed?.(d.modelId) ?? true,
        // Claim no more than can be served soon: `capacity` running plus a short queue of claimed jobs.
        freeSlots: p.capacity * 4 - ctx.liveClaims() - stakeReads,
        queueSeconds,
        stakeSlots,
      });
    // A job that names us, and that we would take as far as the job itself says (model, token, price, tier), starts
    // generating now, while the chain is read for the rest of the decision: the engine would otherwise wait those
    // round trips with nothing to do. Nothing leaves this host before the claim, and a job not taken after all loses
    // its generation below.
    if (ctx.namesMe(job) && decideWith({ now: -Infinity, engineHealthy: true, stakeSlots: 1, queueSeconds: 0 }).take)
      speculate(job);
    let taken = false;
    try {
      taken = await decideOnChain(job, engine, decideWith);
    } finally {
      if (!taken) ctx.forget(job.jobId);
    }
  };
}
