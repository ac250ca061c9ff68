/**
 * The daemon: everything the worker runs, wired together from a validated config.
 *   store (SQLite) ← watcher (JobMarket events, confirmations, reorgs, failover RPC) ← market handlers
 *   pipeline (claim → infer → prove → submit → finalize) → sender (one nonce sequence, simulate first)
 *   dispute duty (reveal our disputed jobs' secret to the committee; re-run and vote when drawn)
 *   engines (llama.cpp / vLLM), prover processes, ops server (/metrics, /health), graceful shutdown.
 *
 * API: startWorker({ config, logger?, onToken? }): Promise<Worker> — { address, encryptionPublicKey, ops, stop() }
 */
import { join } from "node:path";
import type { Logger } from "pino";
import type { Address, Hex } from "viem";
import { readContract } from "viem/actions";
import { jobMarketAbi, stakingRegistryAbi } from "../chain/abis.ts";
import type { Config } from "../config/configSchema.ts";
import { loadAccount } from "../config/loadAccount.ts";
import { createHealth, senderCheck, watcherCheck } from "../ops/createHealth.ts";
import { createLogger } from "../ops/createLogger.ts";
import { createMetrics } from "../ops/createMetrics.ts";
import { startOpsServer, type OpsServer } from "../ops/startOpsServer.ts";
import { createDisputeDuty } from "../disputes/createDisputeDuty.ts";
import { disputeHandlers, disputeRemovedHandler } from "../disputes/disputeHandlers.ts";
import { createPipeline, type PipelineMetrics } from "../pipeline/createPipeline.ts";
import { marketHandlers, marketRemovedHandler } from "../pipeline/marketHandlers.ts";
import { checkProverKey } from "../prover/checkProverKey.ts";
import { createProverPool } from "../prover/createProverPool.ts";
import { createStreamServer, type StreamServer } from "../stream/createStreamServer.ts";
import { disputeDuties } from "../store/disputeDuties.ts";
import { openStore } from "../store/openStore.ts";
import { createWatcher, watchedContract } from "../watch/createWatcher.ts";
import { assertChain, createChainClient, createConfiguredSender } from "./connectChain.ts";
import { createEngines } from "./createEngines.ts";
import { deriveEncryptionKey } from "./deriveEncryptionKey.ts";
import { killAtStep } from "./killAtStep.ts";
import { createSelfTestGate } from "../determinism/createSelfTestGate.ts";
import type { DeterminismClass } from "../determinism/determinismClass.ts";
import { offerClass } from "../determinism/offerClass.ts";
import { selfTestRecord } from "../determinism/selfTestRecord.ts";
import { readGpus } from "../determinism/readGpus.ts";
import { readDeployments } from "./readDeployments.ts";
import { chatTemplatesOf } from "./chatTemplatesOf.ts";

export type StartWorkerParameters = {
  config: Config;
  logger?: Logger;
  env?: Record<string, string | undefined>;
  /** Seconds between claim and deadline below which a job is not claimed. */
  minTimeToDeadline?: number;
  /** Benchmarks: timing marks, and a switch that stops jobs after inference. */
  benchmark?: {
    mark?: PipelineMetrics["mark"];
    onSubmitSent?: (intent: string, at: number) => void;
    skipProving?: boolean;
  };
};

export type RunningWorker = {
  address: Address;
  encryptionPublicKey: Hex;
  ops: OpsServer;
  stream: Pick<StreamServer, "url">;
  stop(): Promise<void>;
};

export async function startWorker({
  config,
  env,
  minTimeToDeadline,
  benchmark,
  ...rest
}: StartWorkerParameters): Promise<RunningWorker> {
  const logger = rest.logger ?? createLogger({ level: config.logLevel });
  const account = loadAccount({ key: config.key, env });
  const deployments = readDeployments(config.deployments, config.chainId);
  const client = createChainClient(config);
  await assertChain(client, config);

  const provider = await readContract(client, {
    address: deployments.StakingRegistry.address,
    abi: stakingRegistryAbi,
    functionName: "getProvider",
    args: [account.address],
  });
  const encryption = await deriveEncryptionKey(account);
  const metrics = createMetrics();
  const health = createHealth();
  const store = openStore({ path: join(config.dataDir, "worker.sqlite") });
  // The prover loads its artifacts while the models load; jobs are taken only once both can serve.
  const prover = createProverPool({
    zkey: config.prover.zkey,
    onProof: (ms) => metrics.proofSeconds.observe({ batch: "chunk" }, ms / 1000),
  });
  let engines: Awaited<ReturnType<typeof createEngines>> | undefined;
  // GPUs as the driver reports them: a verifiable vLLM offer needs batch-invariant kernels, and its class names them.
  const gpus = config.models.some((m) => m.engine.kind === "vllm") ? readGpus() : [];
  try {
    engines = await createEngines({
      models: config.models,
      gpus,
      logger,
      metrics: {
        generation: (r) => metrics.tokensGenerated.inc({ model: r.engineId }, r.tokens),
        restart: (r) => metrics.engineRestarts.inc({ model: r.engineId }),
      },
      onLoadProgress: (() => {
        let shown = -1;
        return (modelId: string, f: number) => {
          const quarter = Math.floor(f * 4);
          if (quarter > shown) logger.info({ modelId, progress: `${(shown = quarter) * 25}%` }, "loading model");
        };
      })(),
    });
    const { circuitId } = await prover.ready();
    await checkProverKey({ client, market: deployments.JobMarket.address, circuitId });
  } catch (error) {
    // Whatever did start is released: no prover or engine process outlives a worker that could not start.
    await Promise.allSettled([prover.close(), ...[...(engines?.values() ?? [])].map((e) => e.stop())]);
    store.close();
    throw error;
  }
  logger.info("prover ready");
  const classes = new Map<string, DeterminismClass>();
  for (const m of config.models) {
    const engine = engines.get(m.modelId.toLowerCase());
    if (!engine) continue;
    classes.set(m.modelId.toLowerCase(), offerClass(m, { info: engine.info(), gpus }));
    logger.info(
      { modelId: m.modelId, verifiable: m.verifiable, determinismClass: classes.get(m.modelId.toLowerCase()) },
      "determinism class",
    );
  }
  // Verifiable jobs wait until the engine shows that a busy run equals a run alone.
  const selfTests = createSelfTestGate({
    offers: config.models,
    engines,
    classes,
    record: selfTestRecord(join(config.dataDir, "selftest.json")),
    logger,
    onResult: (modelId, r) => metrics.selfTestPassed.set({ model: modelId.slice(0, 10) }, r.passed ? 1 : 0),
  });
  const kill = killAtStep((env ?? process.env).OCTO_TEST_KILL_AT);
  const sender = createConfiguredSender(
    { config, client, account, store },
    {
      logger,
      ...(kill ? { onStep: kill } : {}),
      onSent: (e) => {
        metrics.txSent.inc({ replacement: String(e.replacement) });
        benchmark?.onSubmitSent?.(e.intent, performance.now());
      },
      onMined: ({ intent, receipt }) => {
        const action = intent.split(":").at(-1) ?? intent;
        metrics.gasUsed.inc({ action }, Number(receipt.gasUsed));
        metrics.gasSpentWei.inc({ action }, Number(receipt.gasUsed * receipt.effectiveGasPrice));
      },
    },
  );
  // Re-broadcasts what the key still owes and fills nonce gaps before anything new is sent; the owed transactions
  // then settle in the background while the worker serves.
  await sender.resume();

  const stream = await createStreamServer({ host: config.stream.host, port: config.stream.port });
  // What the pipeline and the dispute duty both act with: the market, this provider's account and its keys.
  const acting = {
    sender,
    client,
    market: deployments.JobMarket.address,
    staking: deployments.StakingRegistry.address,
    me: account.address,
    encryptionPrivateKey: encryption.privateKey,
    engines,
    chatTemplates: await chatTemplatesOf(config),
    logger,
  };
  const pipeline = createPipeline({
    store,
    ...acting,
    tier: Number(provider.tier),
    offers: config.models.map((m) => ({
      modelId: m.modelId as Hex,
      paymentToken: m.paymentToken as Address,
      pricePerToken: m.pricePerToken,
      maxContext: m.maxContext,
      verifiable: m.verifiable,
    })),
    selfTestPassed: selfTests.passed,
    prover,
    capacity: config.capacity,
    minTimeToDeadline: minTimeToDeadline ?? config.minSecondsToDeadline,
    stream,
    benchmarkSkipProving: benchmark?.skipProving ?? false,
    metrics: {
      tokens: (n, s) => void (s > 0 && metrics.tokensPerSecond.set({ model: "all" }, n / s)),
      queue: (seconds) => metrics.queueSeconds.set(seconds),
      ...(benchmark?.mark ? { mark: benchmark.mark } : {}),
    },
  });

  const duties = disputeDuties(store);
  const disputeDuty = createDisputeDuty({
    store,
    duties,
    ...acting,
    deployments: {
      chainId: deployments.chainId,
      contracts: {
        JobMarket: deployments.JobMarket,
        StakingRegistry: deployments.StakingRegistry,
        ModelRegistry: deployments.ModelRegistry,
      },
    },
    maxContext: (modelId) => config.models.find((m) => m.modelId.toLowerCase() === modelId.toLowerCase())?.maxContext,
  });
  const removedMarket = marketRemovedHandler({ store });
  const removedDispute = disputeRemovedHandler({ duties });

  const watcher = createWatcher({
    client,
    store,
    confirmations: config.confirmations,
    pollIntervalMs: config.pollIntervalMs,
    maxBlockRange: config.maxBlockRange,
    logger,
    contracts: [
      watchedContract({
        name: "JobMarket",
        address: deployments.JobMarket.address,
        abi: jobMarketAbi,
        fromBlock: deployments.JobMarket.deployedOnBlock,
        handlers: {
          ...disputeHandlers({ store, duties, me: account.address }),
          ...marketHandlers({
            store,
            me: account.address,
            onEarnings: (a) => metrics.earnings.inc({ token: "payment" }, Number(a)),
            ...(benchmark?.mark
              ? { onJobSeen: (jobId: bigint) => benchmark.mark!(jobId, "seen", performance.now()) }
              : {}),
          }),
        },
        onRemoved: (event) => {
          removedMarket(event);
          removedDispute(event);
        },
      }),
    ],
    onError: (error, { phase }) => {
      if (phase === "tick") metrics.rpcErrors.inc();
      health.reportError(`watcher:${phase}`, error);
    },
    onTick: (_result, h) => {
      metrics.watcherLagBlocks.set(h.lagBlocks ?? 0);
      if (h.headBlock !== null) metrics.watcherHeadBlock.set(h.headBlock);
      void pipeline.tick();
      void disputeDuty.tick();
    },
  });
  health.register("watcher", watcherCheck(watcher));
  health.register("sender", senderCheck(sender));
  for (const [modelId, engine] of engines) {
    let last: Awaited<ReturnType<typeof engine.health>> = { healthy: true };
    health.register(`engine:${modelId.slice(0, 10)}`, () => {
      void engine.health().then((h) => (last = h));
      return last.healthy ? { status: "ok" } : { status: "down", detail: last.reason };
    });
  }
  const onScrape = () => {
    metrics.setJobCounts(store.countJobsByStep());
    metrics.setDisputeDutyCounts(duties.countByRoleAndStep());
    metrics.setSenderHealth(sender.health());
  };
  const ops = await startOpsServer({ host: config.ops.host, port: config.ops.port, metrics, health, onScrape });
  watcher.start();
  // The pipeline also ticks on its own, so waits (challenge windows, a delivered key) end without new events.
  const timer = setInterval(
    () => {
      void pipeline.tick();
      void disputeDuty.tick();
    },
    Math.max(250, config.pollIntervalMs),
  );
  logger.info(
    { address: account.address, market: deployments.JobMarket.address, ops: ops.url, models: config.models.length },
    "worker started",
  );

  let stopping: Promise<void> | null = null;
  return {
    address: account.address,
    encryptionPublicKey: `0x${Buffer.from(encryption.publicKey).toString("hex")}`,
    ops,
    stream,
    stop() {
      stopping ??= (async () => {
        clearInterval(timer);
        await watcher.stop();
        await pipeline.stop();
        await disputeDuty.stop();
        await ops.close();
        await stream.close();
        await prover.close();
        await Promise.allSettled([...engines.values()].map((e) => e.stop()));
        store.close();
        logger.info("worker stopped");
      })();
      return stopping;
    },
  };
}
