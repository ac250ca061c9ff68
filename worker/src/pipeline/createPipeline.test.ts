import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  deriveJobKeys,
  encodeJobEnvelope,
  generateEncryptionKeyPair,
  generateJobSecret,
  keyCommitment,
  sealPrompt,
  wrapJobSecret,
} from "@octo/circuits";
import {
  bytesToHex,
  createPublicClient,
  custom,
  decodeFunctionData,
  encodeFunctionResult,
  http,
  zeroAddress,
  type Address,
  type Hex,
} from "viem";
import { jobMarketAbi, stakingRegistryAbi } from "../chain/abis.ts";
import type { ProverPool, ProveReturnType } from "../prover/createProverPool.ts";
import { SimulationRevertedError } from "../sender/SenderError.ts";
import { waitFor } from "../../test/helpers/waitFor.ts";
import { EngineUnavailableError } from "../engines/errors.ts";
import type { Engine, GenerateParameters } from "../engines/types.ts";
import { sentCall, type Sender, type SentCall, type SendReturnType } from "../sender/createSender.ts";
import { JOB_STEPS } from "../store/jobSteps.ts";
import { openStore, type Store } from "../store/openStore.ts";
import { createPipeline, type PipelineMetrics } from "./createPipeline.ts";
import type { JobData } from "./jobData.ts";

const ME: Address = "0x00000000000000000000000000000000000000aa";
const MODEL = `0x${"11".repeat(32)}` as const;
const silent = { debug(_fields: unknown, _message?: string) {}, info() {}, warn() {}, error() {} };

/** A job created for this provider, with a real envelope its key opens. */
function namedJob(prompt: string, providerPublicKey: Uint8Array): JobData {
  const jobSecret = generateJobSecret();
  const keys = deriveJobKeys({ jobSecret });
  const { ephemeralPublicKey, wrapped } = wrapJobSecret({ jobSecret, providerPublicKey });
  const sealedPrompt = sealPrompt({ promptKey: keys.promptKey, prompt: new TextEncoder().encode(prompt) });
  return {
    user: "0x00000000000000000000000000000000000000bb",
    modelId: MODEL,
    paymentToken: "0x00000000000000000000000000000000000000cc",
    maxOutputTokens: 16,
    maxPricePerToken: 10n,
    minTier: 0,
    verifiable: true,
    deadline: 2 ** 31,
    provider: ME,
    userPublicKey: bytesToHex(ephemeralPublicKey),
    keyCommitment: keyCommitment({ outputKey: keys.outputKey }),
    envelope: bytesToHex(encodeJobEnvelope({ wrappedSecret: wrapped, sealedPrompt })),
    createdBlock: 1n,
  };
}

/** An engine that answers "ok" in two pieces; its token count fails the first `countFailures` times. */
function scriptedEngine({ countFailures }: { countFailures: number }) {
  let failuresLeft = countFailures;
  const generated: GenerateParameters[] = [];
  const engine: Engine = {
    id: "scripted",
    info: () => ({ engine: "llama.cpp", version: "scripted@1", model: "scripted", contextSize: 512 }),
    health: async () => ({ healthy: true }),
    async countTokens() {
      if (failuresLeft-- > 0) throw new EngineUnavailableError("restarting after a crash");
      return 4;
    },
    async generate(parameters, onToken) {
      generated.push(parameters);
      onToken?.("o", 0);
      onToken?.("k", 1);
      return { text: "ok", promptTokens: 4, tokens: 2, finishReason: "stop" };
    },
    stop: async () => undefined,
  };
  return { engine, generated };
}

/** An engine whose generations run until aborted: what the pipeline asks of it, and when it lets go. */
function heldEngine() {
  const generated: GenerateParameters[] = [];
  const engine: Engine = {
    id: "held",
    info: () => ({ engine: "llama.cpp", version: "held@1", model: "held", contextSize: 512 }),
    health: async () => ({ healthy: true }),
    countTokens: async () => 4,
    generate(parameters) {
      generated.push(parameters);
      return new Promise((_, reject) =>
        parameters.signal?.addEventListener("abort", () => reject(new Error("aborted"))),
      );
    },
    stop: async () => undefined,
  };
  return { engine, generated };
}

/** A chain whose every read waits until `fail()` rejects them all: a decision held at its chain reads. */
function heldChain() {
  const waiting: ((error: Error) => void)[] = [];
  const client = createPublicClient({
    transport: custom({ request: () => new Promise((_, reject) => waiting.push(reject)) }, { retryCount: 0 }),
  });
  return {
    client,
    reads: () => waiting.length,
    fail: () => waiting.splice(0).forEach((reject) => reject(new Error("node down"))),
  };
}

/**
 * A chain at time 0x1000 where every job (claimed, key window over at 0x100) has `status` and `provider`, and our
 * stake backs any number of claims.
 */
const chainWithJob = ({ status, provider }: { status: number; provider: Address }) =>
  createPublicClient({
    transport: custom(
      {
        async request({ method, params }: { method: string; params?: unknown }) {
          if (method === "eth_getLogs") return []; // no JobKeyDelivered
          if (method === "eth_getBlockByNumber")
            return { number: "0x10", timestamp: "0x1000", hash: `0x${"ab".repeat(32)}`, transactions: [] };
          if (method !== "eth_call") throw new Error(`unexpected ${method}`);
          const { data } = (params as [{ data: Hex }])[0];
          const { functionName } = decodeFunctionData({ abi: [...jobMarketAbi, ...stakingRegistryAbi], data });
          if (functionName === "getProvider") {
            return encodeFunctionResult({
              abi: stakingRegistryAbi,
              functionName: "getProvider",
              result: {
                stake: 10n ** 24n,
                locked: 0n,
                unbonding: 0n,
                unbondableAt: 0,
                activeJobs: 0,
                tier: 0,
                registered: true,
                accepting: true,
                encryptionKey: `0x${"00".repeat(32)}`,
                completed: 0,
                timedOut: 0,
                disputed: 0,
                slashed: 0,
                released: 0,
                missedVotes: 0,
              },
            });
          }
          if (functionName === "parameters")
            return encodeFunctionResult({
              abi: jobMarketAbi,
              functionName: "parameters",
              result: [0, 60, 60, 60, 0, 1n, zeroAddress],
            });
          return encodeFunctionResult({
            abi: jobMarketAbi,
            functionName: "getJob",
            result: {
              user: "0x00000000000000000000000000000000000000bb",
              deadline: 2 ** 31,
              maxOutputTokens: 16,
              status,
              minTier: 0,
              flags: 0,
              paymentTokenId: 1,
              provider,
              windowEnd: 0x100,
              tokenCount: 0,
              chunkCount: 0,
              feeBps: 0,
              maxPricePerToken: 10n,
              pricePerToken: 10n,
              collateral: 1n,
              modelId: MODEL,
              keyCommitment: 1n,
              outputRoot: `0x${"00".repeat(32)}`,
              ciphertextHash: `0x${"00".repeat(32)}`,
            },
          });
        },
      },
      { retryCount: 0 },
    ),
  });

describe("createPipeline", () => {
  let dir: string;
  let store: Store;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "octo-pipeline-"));
    store = openStore({ path: join(dir, "worker.sqlite") });
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Walks a new job through the step machine up to `step`, as the pipeline would have. */
  const putInStep = (jobId: bigint, step: (typeof JOB_STEPS)[number]) => {
    for (let i = 1; i <= JOB_STEPS.indexOf(step); i++) store.advanceJob(jobId, JOB_STEPS[i - 1]!, JOB_STEPS[i]!);
  };
  /** A sender that records each call and reports it sent. */
  const recordingSend =
    (sent: SentCall[]): Sender["send"] =>
    async (call): Promise<SendReturnType> => {
      sent.push(sentCall(call));
      return {
        hash: `0x${"00".repeat(32)}`,
        receipt: {} as SendReturnType["receipt"], // nothing here reads it
        nonce: 0,
        replacements: 0,
        alreadyDone: false,
      };
    };

  /** A pipeline serving MODEL at 10 a token with `engine`; it sends through `send` and reads the chain from `client`. */
  const pipelineWith = ({
    engine,
    provider,
    send,
    client,
    prover,
    logger,
    metrics,
  }: {
    engine: Engine;
    provider: { privateKey: Uint8Array };
    send?: Sender["send"];
    client?: ReturnType<typeof createPublicClient>;
    /** Without one, jobs stop after inference (the benchmark switch). */
    prover?: Pick<ProverPool, "prove">;
    logger?: typeof silent;
    metrics?: PipelineMetrics;
  }) =>
    createPipeline({
      store,
      sender: { send: send ?? (() => Promise.reject(new Error("nothing is sent here"))) },
      client: client ?? createPublicClient({ transport: http("http://127.0.0.1:9") }),
      market: "0x00000000000000000000000000000000000000dd",
      staking: "0x00000000000000000000000000000000000000ee",
      me: ME,
      encryptionPrivateKey: provider.privateKey,
      tier: 0,
      offers: [
        {
          modelId: MODEL,
          paymentToken: "0x00000000000000000000000000000000000000cc",
          pricePerToken: 10n,
          maxContext: 512,
          verifiable: true,
        },
      ],
      engines: new Map([[MODEL, engine]]),
      prover: prover ?? { prove: () => Promise.reject(new Error("not proving here")) },
      capacity: 1,
      benchmarkSkipProving: prover === undefined,
      logger: logger ?? silent,
      ...(metrics ? { metrics } : {}),
    });

  it("starts a named job's generation again when the start it speculated failed, instead of handing the job back", async () => {
    const provider = generateEncryptionKeyPair();
    store.createJob(1n, namedJob("hello", provider.publicKey));
    putInStep(1n, "claiming");
    const sent: SentCall[] = [];
    const { engine, generated } = scriptedEngine({ countFailures: 1 });
    // Nothing here reads the chain: the job names us (no key to look up) and is past its decision.
    const pipeline = pipelineWith({ engine, provider, send: recordingSend(sent) });
    try {
      await pipeline.tick();
      await waitFor(() => ["inferred", "released"].includes(store.getJob(1n)!.step), {
        timeoutMs: 10_000,
        message: "the job to leave inference",
      });
      expect(store.getJob<JobData>(1n)!.step).to.equal("inferred");
      expect(store.getJob<JobData>(1n)!.data.output).to.equal("ok");
      // The job was claimed by its creation: the worker sends no claim of its own.
      expect(sent.map((s) => s.functionName)).to.deep.equal([]);
      expect(generated).to.have.length(1);
    } finally {
      await pipeline.stop();
    }
  });

  describe("a job that names us", () => {
    /** A job created for us (with `overrides`), a held engine and a held chain, and the pipeline's first tick. */
    async function seeJob(overrides: Partial<JobData> = {}) {
      const provider = generateEncryptionKeyPair();
      store.createJob(1n, { ...namedJob("hello", provider.publicKey), ...overrides });
      const { engine, generated } = heldEngine();
      const chain = heldChain();
      const pipeline = pipelineWith({ engine, provider, client: chain.client });
      cleanUp = async () => {
        chain.fail();
        await pipeline.stop();
      };
      await pipeline.tick();
      return { generated, chain };
    }
    let cleanUp: () => Promise<void> = async () => undefined;
    afterEach(() => cleanUp());

    it("starts generating while its decision still waits on the chain", async () => {
      const { generated, chain } = await seeJob();
      await waitFor(() => generated.length === 1, { timeoutMs: 10_000, message: "the generation to start" });
      expect(chain.reads()).to.be.greaterThan(0);
      expect(store.getJob(1n)!.step).to.equal("seen");
    });

    it("loses the generation it started at sight when the decision does not take the job", async () => {
      const { generated, chain } = await seeJob();
      await waitFor(() => generated.length === 1 && chain.reads() > 0, {
        timeoutMs: 10_000,
        message: "the generation and the chain reads to start",
      });
      chain.fail(); // the decision cannot be made now: the job waits in 'seen' for a later tick
      await waitFor(() => generated[0]!.signal?.aborted === true, {
        timeoutMs: 10_000,
        message: "the generation to be aborted",
      });
      expect(store.getJob(1n)!.step).to.equal("seen");
    });

    it("is not generated at sight when its price is below our offer", async () => {
      const { generated, chain } = await seeJob({ maxPricePerToken: 9n });
      await waitFor(() => chain.reads() > 0, { timeoutMs: 10_000, message: "the decision to read the chain" });
      expect(generated).to.have.length(0);
    });
  });

  describe("a job it cannot hand back", () => {
    /** Our claimed job that names no provider, whose user never delivered the key; every release reverts. */
    async function failToRelease(chain: { status: number; provider: Address }) {
      const provider = generateEncryptionKeyPair();
      const job = namedJob("hello", provider.publicKey);
      store.createJob(1n, {
        ...job,
        provider: zeroAddress,
        envelope: bytesToHex(
          encodeJobEnvelope({ sealedPrompt: sealPrompt({ promptKey: new Uint8Array(32), prompt: new Uint8Array(1) }) }),
        ),
      });
      putInStep(1n, "claimed");
      const sent: SentCall[] = [];
      const pipeline = pipelineWith({
        engine: heldEngine().engine,
        provider,
        client: chainWithJob(chain),
        send: async (call) => {
          sent.push(sentCall(call));
          throw new SimulationRevertedError({
            functionName: call.functionName,
            errorName: "JobKeyAlreadyDelivered",
            args: [1n],
            formatted: "JobKeyAlreadyDelivered(1)",
          });
        },
      });
      try {
        await pipeline.tick();
        await waitFor(() => sent.length > 0, { timeoutMs: 10_000, message: "the release to be tried" });
      } finally {
        await pipeline.stop(); // lets the release step finish: its chain read and its outcome
      }
      expect(sent[0]!.functionName).to.equal("releaseJob");
    }

    it("keeps it while the market still has it claimed by us (a key delivered at the last moment)", async () => {
      await failToRelease({ status: 2, provider: ME });
      expect(store.getJob(1n)!.step).to.equal("claimed");
    });

    it("gives it up once the market has moved on", async () => {
      await failToRelease({ status: 1, provider: zeroAddress });
      expect(store.getJob(1n)!.step).to.equal("released");
    });
  });

  describe("a job whose engine is down", () => {
    /** An engine that counts tokens but cannot generate; its health says whether it will come back. */
    function downEngine({ permanent }: { permanent: boolean }) {
      const asked: GenerateParameters[] = [];
      const engine: Engine = {
        id: "down",
        info: () => ({ engine: "llama.cpp", version: "down@1", model: "down", contextSize: 512 }),
        health: async () => ({
          healthy: false,
          reason: permanent ? "failed: 6 crashes within 600 s" : "restarting: engine process exited",
          permanent,
        }),
        countTokens: async () => 4,
        generate: async (parameters) => {
          asked.push(parameters);
          throw new EngineUnavailableError("down is not ready");
        },
        stop: async () => undefined,
      };
      return { engine, asked };
    }
    /** Our job in 'inferring' with `deadline` (the chain's time is 0x1000); what the pipeline sent after one attempt. */
    async function inferOn(engine: Engine, asked: GenerateParameters[], deadline: number) {
      const provider = generateEncryptionKeyPair();
      store.createJob(1n, { ...namedJob("hello", provider.publicKey), deadline });
      putInStep(1n, "inferring");
      const sent: SentCall[] = [];
      const pipeline = pipelineWith({
        engine,
        provider,
        client: chainWithJob({ status: 2, provider: ME }),
        send: recordingSend(sent),
      });
      try {
        await pipeline.tick();
        await waitFor(() => asked.length > 0, { timeoutMs: 10_000, message: "the engine to be asked" });
      } finally {
        await pipeline.stop(); // lets the infer step finish
      }
      return sent;
    }

    it("hands it back to the market when the engine gave up, so another provider can serve it", async () => {
      const { engine, asked } = downEngine({ permanent: true });
      const sent = await inferOn(engine, asked, 2 ** 31);
      expect(sent.map((c) => [c.functionName, c.args])).to.deep.equal([["releaseJob", [1n, 4]]]); // ModelUnavailable
      expect(store.getJob(1n)!.step).to.equal("released");
    });

    it("keeps it while the engine restarts and the deadline is far", async () => {
      const { engine, asked } = downEngine({ permanent: false });
      const sent = await inferOn(engine, asked, 2 ** 31);
      expect(sent).to.have.length(0);
      expect(store.getJob(1n)!.step).to.equal("inferring");
    });

    it("hands it back when the engine is still restarting as the deadline nears", async () => {
      const { engine, asked } = downEngine({ permanent: false });
      const sent = await inferOn(engine, asked, 0x1000 + 30); // less than the minute the worker needs
      expect(sent.map((c) => c.functionName)).to.deep.equal(["releaseJob"]);
      expect(store.getJob(1n)!.step).to.equal("released");
    });
  });

  describe("a new job while others wait for the prover", () => {
    it("is not claimed while the proofs ahead of it, at the prover's recent pace, would run past its deadline", async () => {
      const provider = generateEncryptionKeyPair();
      const inferred = (prompt: string) => ({
        ...namedJob(prompt, provider.publicKey),
        output: "ok",
        tokenByteEnds: [1, 2],
      });
      for (const id of [1n, 3n]) {
        store.createJob(id, inferred(`job ${id}`));
        putInStep(id, "inferred");
      }
      // Job 1's proof took the prover 1,000 s; job 3's is still running.
      const proof = {
        publicSignals: [1n],
        proof: Array(8).fill(1n),
        encrypted: { byteLength: 2, postedCiphertext: [1n] },
        provingMs: 1_000_000,
      } as unknown as ProveReturnType;
      let finishJob3 = () => {};
      const job3 = new Promise<ProveReturnType>((resolve) => (finishJob3 = () => resolve(proof)));
      const prover = { prove: ({ jobId }: { jobId: bigint }) => (jobId === 1n ? Promise.resolve(proof) : job3) };
      const sent: SentCall[] = [];
      const waits: unknown[] = [];
      const queues: number[] = [];
      const pipeline = pipelineWith({
        engine: heldEngine().engine,
        provider,
        client: chainWithJob({ status: 2, provider: ME }), // chain time 0x1000
        prover,
        send: recordingSend(sent),
        logger: { ...silent, debug: (fields: unknown) => void waits.push(fields) },
        metrics: { queue: (seconds) => void queues.push(seconds) },
      });
      try {
        await pipeline.tick();
        await waitFor(() => !["inferred", "proving"].includes(store.getJob(1n)!.step), {
          timeoutMs: 10_000,
          message: "job 1 to be proven",
        });
        // 1,000 s to its deadline: its own minute fits, but not behind job 3's proof at the prover's pace (1,000 s).
        store.createJob(2n, { ...namedJob("new", provider.publicKey), deadline: 0x1000 + 1_000 });
        await pipeline.tick();
        await waitFor(
          () => store.getJob(2n)!.step !== "seen" || waits.some((w) => (w as { jobId?: bigint }).jobId === 2n),
          { timeoutMs: 10_000, message: "job 2's decision" },
        );
        expect(waits).to.deep.include({ jobId: 2n, reason: "queue-too-long" });
        expect(queues.at(-1)).to.equal(1_000); // reported to /metrics (octo_queue_seconds)
      } finally {
        const stopping = pipeline.stop(); // no new steps from here; job 2's decision and job 3's proof finish
        finishJob3();
        await stopping;
      }
      expect(store.getJob(2n)!.step).to.equal("seen"); // waiting, not skipped: the queue may clear in time
      expect(sent.map((c) => c.functionName)).to.not.include("claimJob");
    });
  });
});
