/**
 * The job pipeline: claim → open input → infer → encrypt + prove → submit → finalize, one persisted step at a time.
 *
 * Every step reads the job from the store, does its work, and moves the job on with a compare-and-set, so a restart
 * at any point resumes from the last step that was recorded, and no step's effect is applied twice:
 *   - transactions go out under one sender intent per step (`job:7:claim`, `submit:7,8`, `job:7:finalize`); the
 *     sender never mines two transactions for one intent and re-attaches to a pending one after a restart;
 *   - every transaction is simulated first, so a step whose effect already happened (another worker finalized, a
 *     pre-crash submission was mined under an older intent) shows up as a named revert, never as burned gas;
 *   - inference and proving are deterministic, so a restart in the middle of them just runs them again.
 * Jobs proven in the same tick are submitted together under one batch verification (`submitResults`).
 *
 * API:
 *   createPipeline(parameters): Pipeline
 *     pipeline.tick(): Promise<void>   one pass over every live job (the daemon calls it after each watcher tick)
 *     pipeline.idle(): Promise<void>   resolves when no step is running
 *     pipeline.stop(): Promise<void>   lets running steps finish, starts no new ones
 */
import { CHUNK_BYTES } from "@octo/circuits";
import type { Logger } from "pino";
import type { Address, Client, Hex } from "viem";
import { getBlock, readContract } from "viem/actions";
import { jobMarketAbi, marketCallAbi, stakingRegistryAbi } from "../chain/abis.ts";
import { PromptTooLongError } from "../engines/errors.ts";
import type { Engine } from "../engines/types.ts";
import type { ProverPool } from "../prover/createProverPool.ts";
import type { Sender } from "../sender/createSender.ts";
import type { StreamServer } from "../stream/createStreamServer.ts";
import { SimulationRevertedError, TxRevertedError } from "../sender/SenderError.ts";
import type { Job, Store } from "../store/openStore.ts";
import type { JobStep } from "../store/jobSteps.ts";
import { cachedRead } from "../chain/cachedRead.ts";
import { BaseError } from "../errors/BaseError.ts";
import { decideJob, WAIT_REASONS, type DecideJobReturnType, type JobOffer } from "./decideJob.ts";
import { decodingParameters } from "./decodingParameters.ts";
import type { JobData, ProvenChunk } from "./jobData.ts";
import { InputFaultError, openJobInput, type OpenJobInputReturnType } from "./openJobInput.ts";
import { readDeliveredKey } from "./readDeliveredKey.ts";
import { JobStatus as STATUS, ReleaseReason, type ChatTemplate, type ReleaseReasonName } from "@octo/sdk";
import { sealedStream } from "./sealedStream.ts";
import { splitTokensByChunk } from "./splitTokensByChunk.ts";
import { canonicalTokenCount, capTokensPerChunk } from "../billing/canonicalTokens.ts";
import { startGeneration, type Generation } from "./startGeneration.ts";

/** A job we meant to hand back could not be, and the market still has it claimed by us: it is kept, not given up. */
export class ReleaseRefusedError extends BaseError {
  override name = "ReleaseRefusedError";
}

export type PipelineMetrics = {
  step?(step: JobStep, seconds: number): void;
  tokens?(count: number, seconds: number): void;
  proof?(seconds: number): void;
  skipped?(reason: string): void;
  /** Seconds a job claimed now would wait behind those already taken (measured at every decision). */
  queue?(seconds: number): void;
  /** performance.now() at each mark of a job's way through the pipeline (benchmarks). */
  mark?(
    jobId: string,
    mark: "seen" | "decide" | "inferStart" | "inferEnd" | "proveStart" | "proveEnd" | "submitSent",
    at: number,
  ): void;
};

export type CreatePipelineParameters = {
  store: Store;
  sender: Pick<Sender, "send">;
  client: Client;
  market: Address;
  /** The staking registry: free stake bounds how many claims may be in flight. */
  staking: Address;
  me: Address;
  encryptionPrivateKey: Uint8Array;
  tier: number;
  offers: readonly JobOffer[];
  /** Whether the model's engine passed its determinism self-test (verifiable jobs wait until it has). Default: yes. */
  selfTestPassed?: (modelId: `0x${string}`) => boolean;
  /** Engines by model id. */
  engines: ReadonlyMap<string, Engine>;
  /** Chat templates by lower-case model id (from the models' GGUF files), to render chat jobs. */
  chatTemplates?: ReadonlyMap<string, ChatTemplate>;
  prover: Pick<ProverPool, "prove">;
  /** Generations the engines run at once (one more is asked ahead, queued, so an engine never waits between jobs). */
  capacity: number;
  /** Seconds needed between claim and submission; jobs with less time left are not claimed. */
  minTimeToDeadline?: number;
  /** Submit jobs proven together in one transaction (one batch verification). */
  batchSubmit?: boolean;
  /** Benchmarks only: stop each job after inference, to measure the pipeline without the prover. */
  benchmarkSkipProving?: boolean;
  /** Live output: each generated piece, sealed for the user, as it is decoded. */
  stream?: Pick<StreamServer, "publish" | "end">;
  logger: Pick<Logger, "debug" | "info" | "warn" | "error">;
  metrics?: PipelineMetrics;
};

export type Pipeline = ReturnType<typeof createPipeline>;

type LiveJob = Job<JobData>;
/** What a decision needs beyond the job itself: chain time, the engine's health, the claims free stake can back, and
 *  how long the job would wait behind those already taken. */
type ChainSide = { now: number; engineHealthy: boolean; stakeSlots: number; queueSeconds: number };

export function createPipeline(p: CreatePipelineParameters) {
  const { store, sender, client, market, me, logger } = p;
  const running = new Set<string>();
  const tasks = new Set<Promise<void>>();
  let stopped = false;
  const liveClaims = () => store.countJobsInSteps(["claiming", "claimed", "inferring"]);
  const offerOf = (modelId: string) => p.offers.find((o) => o.modelId.toLowerCase() === modelId.toLowerCase());
  const engineOf = (modelId: string) => p.engines.get(modelId.toLowerCase());

  const advance = (job: LiveJob, to: JobStep, extra: { data?: Partial<JobData>; reason?: string } = {}) => {
    const moved = store.advanceJob(
      job.jobId,
      job.step,
      to,
      extra as { data?: Record<string, unknown>; reason?: string },
    );
    if (moved && !INPUT_NEEDED.includes(to)) opened.delete(job.jobId);
    if (moved && !GENERATION_NEEDED.includes(to)) dropGeneration(job.jobId);
    if (moved) logger.info({ jobId: job.jobId, from: job.step, to, reason: extra.reason }, "job step");
    return moved;
  };
  // Chain time moves per block: one read a second serves every job of a tick, not one RPC call per waiting job.
  const chainTime = cachedRead(1_000, async () => Number((await getBlock(client, { blockTag: "latest" })).timestamp));
  // The collateral a claim locks is a governance parameter: it changes rarely, so a burst of jobs reads it once. Were
  // it raised in the meantime, a claim's simulation would catch it before anything is sent.
  const collateralPerJob = cachedRead(30_000, async () =>
    BigInt((await readContract(client, { address: market, abi: jobMarketAbi, functionName: "parameters" }))[5]),
  );
  const onChain = (jobId: bigint) =>
    readContract(client, { address: market, abi: jobMarketAbi, functionName: "getJob", args: [jobId] });

  /** Runs one job's step unless that job already has a step running. */
  const run = (job: LiveJob, step: (job: LiveJob) => Promise<void>) => {
    if (running.has(job.jobId) || stopped) return;
    running.add(job.jobId);
    const started = performance.now();
    const task = step(job)
      .catch((e: unknown) =>
        logger.warn({ jobId: job.jobId, step: job.step, err: e }, "job step failed; retrying on a later tick"),
      )
      .finally(() => {
        running.delete(job.jobId);
        tasks.delete(task);
        p.metrics?.step?.(job.step, (performance.now() - started) / 1000);
        // A job that moved goes straight on to its next step instead of waiting for the next poll; one that did not
        // (waiting for capacity, a window, a key) waits for the poll, so nothing spins.
        if (store.getJob(job.jobId)?.step !== job.step) setImmediate(() => void tick());
      });
    tasks.add(task);
  };

  async function release(job: LiveJob, reason: Exclude<ReleaseReasonName, "None">, why: string) {
    logger.warn({ jobId: job.jobId, reason, why }, "handing the job back");
    try {
      await sender.send({
        intent: `job:${job.jobId}:release`,
        address: market,
        abi: marketCallAbi,
        functionName: "releaseJob",
        args: [BigInt(job.jobId), ReleaseReason[reason]],
      });
    } catch (e) {
      if (!(e instanceof SimulationRevertedError)) throw e;
      // Still ours on-chain (a key delivered at the last moment, a clock ahead of the chain's): the job is not given
      // up locally, or it would sit claimed until its deadline. It stays in its step and is looked at again.
      const onchain = await onChain(BigInt(job.jobId));
      if (onchain.status === STATUS.Claimed && onchain.provider.toLowerCase() === me.toLowerCase())
        throw new ReleaseRefusedError(
          `job ${job.jobId} could not be handed back (${e.formatted}) and is still ours; looking at it again`,
          { cause: e },
        );
      logger.warn({ jobId: job.jobId, err: e.formatted }, "release not possible; the market has moved on");
    }
    advance(job, "released", { reason: `${reason}: ${why}` });
  }

  // What a job has lately cost in the engine and in the prover (exponentially weighted; 0 until the first one), so
  // that a job is not claimed to wait behind the others past its deadline. The engine's slots bound what is claimed
  // ahead of inference, but nothing bounds the jobs inferred and waiting for the prover: with a fast GPU engine and
  // CPU proving, that queue grows with every burst.
  const pace = { inferSeconds: 0, proveSeconds: 0 };
  const recordPace = (kind: keyof typeof pace, seconds: number) => {
    pace[kind] = pace[kind] === 0 ? seconds : 0.8 * pace[kind] + 0.2 * seconds;
  };
  /** Seconds a job claimed now would wait behind those already taken: for the engine (`capacity` at a time), and for
   *  the prover (one job after another: the worker runs one prover process). */
  const queueSeconds = () => {
    const inferAhead = liveClaims();
    const proveAhead = inferAhead + store.countJobsInSteps(["inferred", "proving"]);
    return Math.max((inferAhead * pace.inferSeconds) / p.capacity, proveAhead * pace.proveSeconds);
  };

  /** Decisions that would take their job and are reading stake: each holds a slot until it settles, so a burst of
   *  new jobs reads stake only for the jobs it has room to claim, not for every job of the burst. */
  let stakeReads = 0;
  // seen → claiming | skipped
  async function decide(job: LiveJob) {
    p.metrics?.mark?.(job.jobId, "decide", performance.now());
    const d = job.data;
    const engine = engineOf(d.modelId);
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
        freeSlots: p.capacity * 4 - liveClaims() - stakeReads,
        queueSeconds,
        stakeSlots,
      });
    // A job that names us, and that we would take as far as the job itself says (model, token, price, tier), starts
    // generating now, while the chain is read for the rest of the decision: the engine would otherwise wait those
    // round trips with nothing to do. Nothing leaves this host before the claim, and a job not taken after all loses
    // its generation below.
    if (names(job) && decideWith({ now: -Infinity, engineHealthy: true, stakeSlots: 1, queueSeconds: 0 }).take)
      speculate(job);
    let taken = false;
    try {
      taken = await decideOnChain(job, engine, decideWith);
    } finally {
      if (!taken) forget(job.jobId);
    }
  }

  /** The decision's chain reads (time, stake) and its outcome; true when the job was taken. */
  async function decideOnChain(
    job: LiveJob,
    engine: Engine | undefined,
    decideWith: (on: ChainSide) => DecideJobReturnType,
  ): Promise<boolean> {
    const [now, health] = await Promise.all([chainTime(), engine?.health()]);
    const engineHealthy = health?.healthy ?? false;
    const queue = queueSeconds();
    p.metrics?.queue?.(queue);
    let decision = decideWith({ now, engineHealthy, stakeSlots: 1, queueSeconds: queue });
    if (names(job)) return takeNamed(job, decision);
    let stake: { free: bigint; collateral: bigint } | undefined;
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
      advance(job, "claiming");
      if (names(job)) speculate(job); // now, not a turn later in the claim step: the engine may be waiting
      return true;
    }
    if (decision.reason === "stake-exhausted") warnStakeExhausted(stake!); // look again once jobs settle
    if (WAIT_REASONS.includes(decision.reason))
      logger.debug({ jobId: job.jobId, reason: decision.reason }, "job waits for a later decision");
    else {
      p.metrics?.skipped?.(decision.reason);
      advance(job, "skipped", { reason: decision.reason });
    }
    return false;
  }

  /** Stake not locked by mined claims (read fresh: claims mined since the last read have locked more), and the
   *  collateral a claim locks. */
  const freeStake = async () => {
    const [provider, collateral] = await Promise.all([
      readContract(client, { address: p.staking, abi: stakingRegistryAbi, functionName: "getProvider", args: [me] }),
      collateralPerJob(),
    ]);
    return { free: provider.stake - provider.locked, collateral };
  };
  let stakeWarnedAt = -Infinity;
  const warnStakeExhausted = (stake: { free: bigint; collateral: bigint }) => {
    if (performance.now() - stakeWarnedAt < 60_000) return;
    stakeWarnedAt = performance.now();
    logger.warn(
      { freeStake: stake.free, collateralPerJob: stake.collateral },
      "free stake cannot back another claim: jobs wait until claims settle (or stake more)",
    );
  };

  /** A job that names us is ours from its creation: the market locked our collateral in `createJob` and the job is
   *  Claimed. It is run (now, or once the engine has room) or handed back, never skipped: skipped, it would sit
   *  claimed until its deadline and time out against our stake. */
  async function takeNamed(job: LiveJob, decision: DecideJobReturnType): Promise<boolean> {
    if (decision.take) {
      advance(job, "claiming");
      speculate(job);
      return true;
    }
    if (WAIT_REASONS.includes(decision.reason)) {
      logger.debug({ jobId: job.jobId, reason: decision.reason }, "named job waits for the engine");
      return false;
    }
    p.metrics?.skipped?.(decision.reason);
    await release(
      job,
      decision.reason === "deadline-too-close" ? "OutOfCapacity" : "ModelUnavailable",
      decision.reason,
    );
    return false;
  }

  // claiming → claimed | skipped
  async function claim(job: LiveJob) {
    // A job that names us was claimed by its own creation: nothing to send. Its generation may already be running
    // (started at the decision); after a restart it starts here.
    if (names(job)) {
      speculate(job);
      return void advance(job, "claimed");
    }
    try {
      await sender.send({
        intent: `job:${job.jobId}:claim`,
        address: market,
        abi: marketCallAbi,
        functionName: "claimJob",
        args: [BigInt(job.jobId)],
      });
    } catch (e) {
      if (e instanceof SimulationRevertedError || e instanceof TxRevertedError) {
        // Lost the race, or the job changed: if it is ours anyway (a pre-restart claim), carry on.
        const onchain = await onChain(BigInt(job.jobId));
        if (onchain.status === STATUS.Claimed && onchain.provider.toLowerCase() === me.toLowerCase())
          return void advance(job, "claimed");
        return void advance(job, "skipped", {
          reason: `claim failed: ${e instanceof SimulationRevertedError ? e.formatted : e.message}`,
        });
      }
      throw e;
    }
    advance(job, "claimed");
  }

  const names = (job: LiveJob) => job.data.provider.toLowerCase() === me.toLowerCase();
  async function openInput(job: LiveJob) {
    const d = job.data;
    return openJobInput({
      envelope: d.envelope,
      namesUs: names(job),
      delivered: names(job)
        ? undefined
        : await readDeliveredKey({ client, market, jobId: BigInt(job.jobId), provider: me, fromBlock: d.createdBlock }),
      userPublicKey: d.userPublicKey,
      keyCommitment: BigInt(d.keyCommitment),
      providerPrivateKey: p.encryptionPrivateKey,
      chatTemplate: p.chatTemplates?.get(d.modelId.toLowerCase()),
      verifiable: d.verifiable,
    });
  }
  // The opened input (an X25519 unwrap, key derivation, decryption) and the prompt's token count serve preparation,
  // inference and proving: they are worked out once and kept in memory (never in the store) while the job needs them,
  // so the engine does not wait on them between jobs. A failure is not kept: the next attempt opens it again.
  const opened = new Map<string, { input: Promise<OpenJobInputReturnType>; promptTokens?: Promise<number> }>();
  const INPUT_NEEDED: readonly JobStep[] = ["claiming", "claimed", "inferring", "inferred", "proving"];
  const input = (job: LiveJob) => {
    const cached = opened.get(job.jobId);
    if (cached) return cached.input;
    const entry = { input: openInput(job) };
    opened.set(job.jobId, entry);
    entry.input.catch(() => opened.get(job.jobId) === entry && opened.delete(job.jobId));
    return entry.input;
  };

  /** Tokens the job may use, prompt included: the engine's context, or less where the offer says so. */
  const contextOf = (job: LiveJob, engine: Engine) =>
    Math.min(engine.info().contextSize, offerOf(job.data.modelId)?.maxContext ?? Infinity);
  /** The prompt's token count as the engine sees it, asked once per job (for vLLM it is a round trip). */
  const promptTokensOf = async (job: LiveJob, engine: Engine): Promise<number> => {
    const { prompt } = await input(job);
    const entry = opened.get(job.jobId);
    if (!entry) return engine.countTokens(prompt);
    if (!entry.promptTokens) {
      const counting = engine.countTokens(prompt);
      entry.promptTokens = counting;
      counting.catch(() => entry.promptTokens === counting && delete entry.promptTokens); // not kept: asked again next time
    }
    return entry.promptTokens;
  };

  // claimed → inferring | released (input faults are the user's; handing back refunds them)
  async function prepare(job: LiveJob) {
    let prompt: string;
    try {
      ({ prompt } = await input(job));
    } catch (e) {
      if (!(e instanceof InputFaultError)) throw e;
      if (e.fault === "KeyNotDelivered") {
        // Wait for the user's key until the key deadline the claim set (`windowEnd`), then hand the job back (refund,
        // no slash). Not until the job's own deadline: a claim waiting on a key holds collateral and a claim slot,
        // and users who never deliver would otherwise keep the worker from serving anyone for as long as their jobs run.
        const { windowEnd } = await onChain(BigInt(job.jobId));
        if ((await chainTime()) < Number(windowEnd)) return;
        return release(job, "KeyNotDelivered", e.message);
      }
      return release(job, "InputUndecryptable", e.message);
    }
    const engine = engineOf(job.data.modelId);
    if (!engine) return release(job, "ModelUnavailable", "no engine serves this model");
    let promptTokens: number;
    try {
      promptTokens = await promptTokensOf(job, engine); // a round trip to vLLM, which may be down
    } catch (e) {
      return engineFailed(job, engine, e);
    }
    const context = contextOf(job, engine);
    if (promptTokens >= context)
      return release(job, "PromptTooLong", `${promptTokens} prompt tokens, context ${context}`);
    advance(job, "inferring");
  }

  // Generations asked of the engine, by job id: at most one per job, started by the claim step (speculation) or the
  // tick, and followed by the infer step. In memory only: after a restart the job's generation simply starts again
  // (decoding is deterministic).
  const generations = new Map<string, Promise<Generation | undefined>>();
  /** Jobs whose generation is asked for and not yet settled: the engine's work now. */
  const generating = new Set<string>();
  const GENERATION_NEEDED: readonly JobStep[] = ["claiming", "claimed", "inferring"];
  const dropGeneration = (jobId: string) => {
    const g = generations.get(jobId);
    if (!g) return;
    generations.delete(jobId);
    void g.then(
      (generation) => generation?.abort(new Error("the job no longer needs this generation")),
      () => undefined,
    );
  };
  /** A job left waiting for a later decision keeps neither its generation nor its opened input until then. */
  const forget = (jobId: string) => {
    dropGeneration(jobId);
    opened.delete(jobId);
  };
  /** Starts the job's generation with its decoding (greedy for a verifiable job, the user's sampling otherwise); undefined when the prompt cannot fit. */
  async function beginGeneration(job: LiveJob, engine: Engine): Promise<Generation | undefined> {
    generating.add(job.jobId); // before the first await: the tick counts it at once
    const settled = () => generating.delete(job.jobId);
    try {
      const { prompt, decoding: asked } = await input(job);
      const context = contextOf(job, engine);
      const promptTokens = await promptTokensOf(job, engine);
      if (promptTokens >= context) return void settled();
      const decoding = decodingParameters({
        jobId: BigInt(job.jobId),
        maxOutputTokens: job.data.maxOutputTokens,
        promptTokens,
        context,
        verifiable: job.data.verifiable,
        asked,
      });
      const generation = startGeneration(engine, { prompt, ...decoding });
      p.metrics?.mark?.(job.jobId, "inferStart", generation.startedAt);
      generation.done.then(settled, settled);
      return generation;
    } catch (error) {
      settled();
      throw error;
    }
  }
  /**
   * Generations asked at once: `capacity` running plus one queued, so the engine goes from one job to the next
   * without waiting for the pipeline to ask. The tick serves claimed jobs first; speculation takes what is left.
   */
  const engineHasRoom = () => generating.size < p.capacity + 1;
  /** A job that names us starts generating while its claim is mined, so the engine does not wait on the chain. */
  function speculate(job: LiveJob) {
    const engine = engineOf(job.data.modelId);
    if (!engine || generations.has(job.jobId) || !engineHasRoom()) return;
    startInferring(job, engine).catch(() => undefined); // a failed start is forgotten: the infer step starts again
  }
  /** Asks for the job's generation and keeps it for the infer step. A start that fails (the input, the token count,
   *  an engine restarting) is not kept, so the next attempt starts a new one rather than reading the failure as
   *  "the prompt does not fit". */
  const startInferring = (job: LiveJob, engine: Engine) => {
    const started = beginGeneration(job, engine);
    generations.set(job.jobId, started);
    started.catch(() => generations.get(job.jobId) === started && generations.delete(job.jobId));
    return started;
  };

  /** When each engine last finished a generation (by engine id), to time the next one without its wait in line. */
  const lastInferEnd = new Map<string, number>();
  // inferring → inferred
  async function infer(job: LiveJob) {
    const engine = engineOf(job.data.modelId);
    if (!engine) return release(job, "ModelUnavailable", "no engine serves this model");
    const { promptKey } = await input(job);
    let generation: Generation | undefined;
    try {
      generation = await (generations.get(job.jobId) ?? startInferring(job, engine));
    } catch (e) {
      return engineFailed(job, engine, e);
    }
    if (!generation) {
      generations.delete(job.jobId);
      return release(job, "PromptTooLong", "the prompt leaves no room for output in the model's context");
    }
    const live = p.stream && sealedStream({ stream: p.stream, jobId: BigInt(job.jobId), promptKey });
    const encoder = new TextEncoder();
    const tokenByteEnds: number[] = [];
    let bytes = 0;
    generation.follow((piece) => {
      bytes += encoder.encode(piece).length;
      tokenByteEnds.push(bytes);
      live?.push(piece);
    });
    try {
      const result = await generation.done;
      const ended = performance.now();
      p.metrics?.mark?.(job.jobId, "inferEnd", ended);
      live?.end();
      // A generation asked ahead waited for the one before it: its own time starts where that one ended.
      recordPace("inferSeconds", (ended - Math.max(generation.startedAt, lastInferEnd.get(engine.id) ?? 0)) / 1000);
      lastInferEnd.set(engine.id, ended);
      p.metrics?.tokens?.(result.tokens, (ended - generation.startedAt) / 1000);
      const canonicalTokens = await canonicalTokenCount(engine, result.text);
      advance(job, "inferred", {
        data: { output: result.text, tokenByteEnds, canonicalTokens, engineVersion: engine.info().version },
      });
    } catch (e) {
      generations.delete(job.jobId);
      if (e instanceof PromptTooLongError) return release(job, "PromptTooLong", e.message);
      return engineFailed(job, engine, e);
    }
  }

  /**
   * A step failed on the engine. While the engine is only restarting, the job stays in its step and is retried on a
   * later tick. An engine that will not come back (its supervisor gave up), or one still down as the job's deadline
   * nears, hands the job back to the market instead: reopened for other providers, our collateral unlocked, nothing
   * slashed, where running out the deadline with us would refund the user only then and slash us.
   */
  async function engineFailed(job: LiveJob, engine: Engine, error: unknown): Promise<void> {
    const health = await engine.health();
    if (health.healthy) throw error;
    if (health.permanent) return release(job, "ModelUnavailable", `engine gave up: ${health.reason}`);
    if ((await chainTime()) >= job.data.deadline - (p.minTimeToDeadline ?? 60))
      return release(job, "ModelUnavailable", `engine down as the deadline nears: ${health.reason}`);
    throw error;
  }

  // inferred → proving → proved
  async function prove(job: LiveJob) {
    if (job.step === "inferred") {
      if (!advance(job, "proving")) return;
      job = store.getJob<JobData>(job.jobId)!;
    }
    const d = job.data;
    const { outputKey } = await input(job);
    const output = new TextEncoder().encode(d.output ?? "");
    // The bill: tokens generated, capped at the output's canonical count so that a committee can recount it.
    const generated = splitTokensByChunk({ tokenByteEnds: d.tokenByteEnds ?? [], byteLength: output.length });
    const perChunk = d.canonicalTokens === undefined ? generated : capTokensPerChunk(generated, d.canonicalTokens);
    const started = performance.now();
    p.metrics?.mark?.(job.jobId, "proveStart", started);
    let proven = 0;
    const results = await Promise.all(
      perChunk.map((tokenCount, chunkIndex) =>
        p.prover
          .prove({
            chunk: output.subarray(chunkIndex * CHUNK_BYTES, (chunkIndex + 1) * CHUNK_BYTES),
            chunkIndex,
            outputKey,
            jobId: BigInt(job.jobId),
            provider: me,
            tokenCount,
            maxTokens: d.maxOutputTokens,
          })
          .then((result) => {
            // Progress for the operator: long outputs take one proof per 1984-byte chunk.
            logger.info({ jobId: job.jobId, proven: ++proven, chunks: perChunk.length }, "proving");
            return result;
          }),
      ),
    );
    p.metrics?.mark?.(job.jobId, "proveEnd", performance.now());
    p.metrics?.proof?.((performance.now() - started) / 1000);
    recordPace("proveSeconds", results.reduce((sum, r) => sum + r.provingMs, 0) / 1000); // the prover's time, not the queue's
    const chunks: ProvenChunk[] = results.map((r, i) => ({
      outputCommitment: r.publicSignals[0],
      byteLength: r.encrypted.byteLength,
      tokenCount: perChunk[i]!,
    }));
    advance(job, "proved", {
      data: {
        chunks,
        proofs: results.map((r) => [...r.proof]),
        ciphertext: results.flatMap((r) => r.encrypted.postedCiphertext),
      },
    });
  }

  const resultOf = (d: JobData) => ({
    chunks: d.chunks!.map((c) => ({
      outputCommitment: BigInt(c.outputCommitment),
      byteLength: c.byteLength,
      tokenCount: c.tokenCount,
    })),
    ciphertext: d.ciphertext!.map(BigInt),
    ciphertextURI: "",
    ciphertextHash: `0x${"00".repeat(32)}` as Hex,
  });
  const proofsOf = (d: JobData) =>
    d.proofs!.map(
      (proof) =>
        proof.map(BigInt) as unknown as readonly [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint],
    );

  // proved → submitting → submitted, for every job proven so far, in one transaction where there are several.
  async function submit(jobs: LiveJob[]) {
    const intent = jobs[0]!.data.submitIntent ?? `submit:${jobs.map((j) => j.jobId).join(",")}`;
    const group = jobs.filter((j) =>
      j.step === "proved" ? advance(j, "submitting", { data: { submitIntent: intent } }) : true,
    );
    if (group.length === 0) return;
    const ids = group.map((j) => BigInt(j.jobId));
    try {
      const sent =
        group.length === 1
          ? await sender.send({
              intent,
              address: market,
              abi: marketCallAbi,
              functionName: "submitResult",
              args: [ids[0]!, resultOf(group[0]!.data), proofsOf(group[0]!.data)],
            })
          : await sender.send({
              intent,
              address: market,
              abi: marketCallAbi,
              functionName: "submitResults",
              args: [ids, group.map((j) => resultOf(j.data)), group.flatMap((j) => proofsOf(j.data))],
            });
      for (const j of group) advance({ ...j, step: "submitting" }, "submitted", { data: { submitTx: sent.hash } });
    } catch (e) {
      if (!(e instanceof SimulationRevertedError || e instanceof TxRevertedError)) throw e;
      // Find out job by job what the market thinks: already submitted by us (a pre-restart transaction), or lost.
      for (const j of group) {
        const onchain = await onChain(BigInt(j.jobId));
        const mine = onchain.provider.toLowerCase() === me.toLowerCase();
        const at = { ...j, step: "submitting" as const };
        if (mine && onchain.status >= STATUS.Submitted) advance(at, "submitted");
        else if (mine && onchain.status === STATUS.Claimed && group.length > 1)
          advance(at, "proved", { data: { submitIntent: `job:${j.jobId}:submit` } });
        else if (onchain.status === STATUS.Open) {
          // Our claim is gone (a reorg removed it). The sender re-broadcasts the same signed claim for its intent (same
          // nonce, so no gap); the proof does not depend on the claim, so the result then goes out again.
          await sender.send({
            intent: `job:${j.jobId}:claim`,
            address: market,
            abi: marketCallAbi,
            functionName: "claimJob",
            args: [BigInt(j.jobId)],
          });
          logger.warn({ jobId: j.jobId }, "claim was reorged out; claimed again");
          advance(at, "proved", { data: { submitIntent: `job:${j.jobId}:submit:${Date.now()}` } });
        } else
          advance(at, "failed", {
            reason: `submit failed: ${e instanceof SimulationRevertedError ? e.formatted : e.message}`,
          });
      }
    }
  }

  // submitted → finalizing → done, once the challenge window has passed (anyone may finalize; we do it for our pay).
  async function finalize(job: LiveJob) {
    const onchain = await onChain(BigInt(job.jobId));
    if (onchain.status === STATUS.Disputed) return;
    if (job.step === "submitted" && onchain.status < STATUS.Submitted) {
      // A reorg took our result off the chain after we saw it mined, and maybe our claim with it. Put them back in
      // nonce order: the claim's signed transaction first (its intent re-sends it), then the result, which the
      // submit step re-sends under its own intent. A job another provider now holds is lost to us.
      if (onchain.status !== STATUS.Open && onchain.provider.toLowerCase() !== me.toLowerCase())
        return void advance(job, "failed", { reason: "after a reorg the job is claimed by another provider" });
      if (onchain.status === STATUS.Open)
        await sender.send({
          intent: `job:${job.jobId}:claim`,
          address: market,
          abi: marketCallAbi,
          functionName: "claimJob",
          args: [BigInt(job.jobId)],
        });
      logger.warn({ jobId: job.jobId }, "result was reorged out; submitting it again");
      return void advance(job, "submitting");
    }
    if (job.step === "submitted") {
      if (onchain.status === STATUS.Submitted && (await chainTime()) < Number(onchain.windowEnd)) return;
      if (!advance(job, "finalizing")) return;
      job = { ...job, step: "finalizing" };
    }
    if (onchain.status !== STATUS.Finalized) {
      try {
        await sender.send({
          intent: `job:${job.jobId}:finalize`,
          address: market,
          abi: marketCallAbi,
          functionName: "finalize",
          args: [BigInt(job.jobId)],
        });
      } catch (e) {
        if (!(e instanceof SimulationRevertedError)) throw e;
        const now = await onChain(BigInt(job.jobId));
        if (now.status !== STATUS.Finalized) throw e;
      }
    }
    // JobFinalized's handler may have moved it already (with the paid amount).
    const current = store.getJob<JobData>(job.jobId);
    if (current?.step === "finalizing") advance(current, "done");
  }

  async function tick() {
    if (stopped) return;
    // A job the watcher ended (cancelled, timed out) left its step without our `advance`: its generation goes too.
    for (const jobId of generations.keys()) {
      const step = store.getJob(jobId)?.step;
      if (step === "seen" && running.has(jobId)) continue; // started at sight while its decision reads the chain
      if (!step || !GENERATION_NEEDED.includes(step)) dropGeneration(jobId);
    }
    // The engine first: a slot freed by the job that just finished goes to the next job before anything else runs.
    for (const job of store.jobsInStep<JobData>("inferring")) {
      if (running.has(job.jobId)) continue;
      // A job already in the engine (speculated while its claim was mined) only needs following; any other starts
      // here when the engine has room, counted before the next job is looked at.
      if (!generations.has(job.jobId)) {
        const engine = engineOf(job.data.modelId);
        if (engine && !engineHasRoom()) continue;
        if (engine) startInferring(job, engine).catch(() => undefined);
      }
      run(job, infer);
    }
    for (const job of store.jobsInStep<JobData>("seen")) run(job, decide);
    for (const job of store.jobsInStep<JobData>("claiming")) run(job, claim);
    for (const job of store.jobsInStep<JobData>("claimed")) run(job, prepare);
    // With the benchmark switch, jobs stop after inference: they are not looked at again on every tick.
    if (!p.benchmarkSkipProving)
      for (const job of [...store.jobsInStep<JobData>("inferred"), ...store.jobsInStep<JobData>("proving")])
        run(job, prove);
    // A batch left half-sent by a restart goes out again under its own intent first.
    for (const job of store.jobsInStep<JobData>("submitting")) run(job, (j) => submit([j]));
    const proved = store.jobsInStep<JobData>("proved").filter((j) => !running.has(j.jobId));
    if (proved.length > 0) {
      const batches = p.batchSubmit === false ? proved.map((j) => [j]) : [proved];
      for (const batch of batches) runGroup(batch, submit);
    }
    for (const job of [...store.jobsInStep<JobData>("submitted"), ...store.jobsInStep<JobData>("finalizing")])
      run(job, finalize);
  }

  const runGroup = (jobs: LiveJob[], step: (jobs: LiveJob[]) => Promise<void>) => {
    for (const j of jobs) running.add(j.jobId);
    const task = step(jobs)
      .catch((e: unknown) =>
        logger.warn({ jobs: jobs.map((j) => j.jobId), err: e }, "batch step failed; retrying on a later tick"),
      )
      .finally(() => {
        for (const j of jobs) running.delete(j.jobId);
        tasks.delete(task);
        if (jobs.some((j) => store.getJob(j.jobId)?.step !== j.step)) setImmediate(() => void tick());
      });
    tasks.add(task);
  };

  return {
    tick,
    async idle() {
      while (tasks.size > 0) await Promise.allSettled([...tasks]);
    },
    running: () => running.size,
    async stop() {
      stopped = true;
      await Promise.allSettled([...tasks]);
    },
  };
}
