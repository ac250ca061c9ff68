// What every step of the pipeline works with: the parameters, the store moves (`advance`), the market's view of a job,
// chain time, and the shared in-memory state (opened inputs, generations, pace). Built once per pipeline; each step
// module is a function of this context and one job.
import type { ChatTemplate } from "@octo/sdk";
import type { Logger } from "pino";
import { isAddressEqual, type Address, type Client, type Hex } from "viem";
import { getBlock, readContract } from "viem/actions";
import { jobMarketAbi } from "../chain/abis.ts";
import { cachedRead } from "../chain/cachedRead.ts";
import type { Engine } from "../engines/types.ts";
import type { ProverPool } from "../prover/createProverPool.ts";
import type { Sender } from "../sender/createSender.ts";
import type { JobStep } from "../store/jobSteps.ts";
import type { Store } from "../store/openStore.ts";
import type { StreamServer } from "../stream/createStreamServer.ts";
import type { JobOffer } from "./decideJob.ts";
import { createGenerations, type Generations } from "./generations.ts";
import type { JobData, LiveJob } from "./jobData.ts";
import { createJobInputs, type JobInputs } from "./jobInputs.ts";
import { NO_PACE, nextPace, queueSeconds, type Pace } from "./pace.ts";
import { readJobInput } from "./readJobInput.ts";
import { createSampleState } from "./sampleSteps.ts";

export type PipelineMetrics = {
  step?(step: JobStep, seconds: number): void;
  tokens?(count: number, seconds: number): void;
  proof?(seconds: number): void;
  skipped?(reason: string): void;
  /** Seconds a job claimed now would wait behind those already taken (measured at every decision). */
  queue?(seconds: number): void;
  /** performance.now() at each mark of a job's way through the pipeline (benchmarks). */
  mark?(
    jobId: bigint,
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

/** Steps in which a job's opened input is kept, and in which its generation is. */
const INPUT_NEEDED: readonly JobStep[] = ["claiming", "claimed", "inferring", "inferred", "proving"];
const GENERATION_NEEDED: readonly JobStep[] = ["claiming", "claimed", "inferring"];

export type PipelineContext = ReturnType<typeof createPipelineContext>;

export function createPipelineContext(p: CreatePipelineParameters) {
  const { store, client, market, me, logger } = p;
  // Engines and chat templates are keyed by the lower-case model id (a bytes32, not an address).
  const modelKey = (modelId: Hex) => modelId.toLowerCase();
  const offerOf = (modelId: Hex) => p.offers.find((o) => modelKey(o.modelId) === modelKey(modelId));
  const inputs: JobInputs = createJobInputs((job) =>
    readJobInput({
      client,
      market,
      me,
      jobId: job.jobId,
      job: job.data,
      providerPrivateKey: p.encryptionPrivateKey,
      chatTemplate: p.chatTemplates?.get(modelKey(job.data.modelId)),
    }),
  );
  const generations: Generations = createGenerations({
    capacity: p.capacity,
    inputs,
    maxContextOf: (job) => offerOf(job.data.modelId)?.maxContext,
    onStart: (jobId, at) => p.metrics?.mark?.(jobId, "inferStart", at),
  });
  const pace: Pace = { ...NO_PACE };
  const liveClaims = () => store.countJobsInSteps(["claiming", "claimed", "inferring"]);

  return {
    p,
    inputs,
    generations,
    /** Sample coins read and sampled committees drawn in this run (sampleSteps.ts). */
    samples: createSampleState(),
    liveClaims,
    engineOf: (modelId: Hex) => p.engines.get(modelKey(modelId)),
    offerOf,
    /** The job names this provider: its input is ours to open from its creation on. */
    namesMe: (job: LiveJob) => isAddressEqual(job.data.provider, me),
    /** Moves the job on in the store (compare-and-set) and lets go of what its new step no longer needs. */
    advance(job: LiveJob, to: JobStep, extra: { data?: Partial<JobData>; reason?: string } = {}): boolean {
      const moved = store.advanceJob(job.jobId, job.step, to, extra);
      if (!moved) return false;
      if (!INPUT_NEEDED.includes(to)) inputs.drop(job.jobId);
      if (!GENERATION_NEEDED.includes(to)) generations.drop(job.jobId);
      logger.info({ jobId: job.jobId, from: job.step, to, reason: extra.reason }, "job step");
      return true;
    },
    /** Whether a job in `step` still needs its generation (a job the watcher ended loses it on the next tick). */
    needsGeneration: (step: JobStep) => GENERATION_NEEDED.includes(step),
    /** A job left waiting for a later decision keeps neither its generation nor its opened input until then. */
    forget(jobId: bigint) {
      generations.drop(jobId);
      inputs.drop(jobId);
    },
    /** The job as the market has it now. */
    onChain: (jobId: bigint) =>
      readContract(client, { address: market, abi: jobMarketAbi, functionName: "getJob", args: [jobId] }),
    // Chain time moves per block: one read a second serves every job of a tick, not one RPC call per waiting job.
    chainTime: cachedRead(1_000, async () => Number((await getBlock(client, { blockTag: "latest" })).timestamp)),
    /** Records what a job just cost the engine or the prover. */
    recordPace(kind: keyof Pace, seconds: number) {
      pace[kind] = nextPace(pace[kind], seconds);
    },
    /** Seconds a job claimed now would wait behind those already taken. */
    queueSeconds: () =>
      queueSeconds({
        pace,
        inferAhead: liveClaims(),
        inferredAhead: store.countJobsInSteps(["inferred", "proving"]),
        capacity: p.capacity,
      }),
  };
}
