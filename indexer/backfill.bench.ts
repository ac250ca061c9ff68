// Backfill speed: a chain holding many jobs' events (OCTO_BENCH_INDEXER_JOBS, default 10,000; each created, named to
// a staked provider, and cancelled: JobCreated + JobCancelled), indexed from the deployment block by a fresh indexer
// (PGlite). The jobs are made with direct contract calls, signed locally and mined in full blocks (automine off), not
// through the worker, and buried under Ponder's finality depth. `indexer.eventsPerSec` counts every log of the three
// contracts over the time from Ponder's first backfill log line to the head being indexed (its start-up build is left
// out: `indexer.startupMs`).
// Run from the repository root: node indexer/backfill.bench.ts
import { freePort, startDevnet } from "@octo/devnet";
import { recordBench } from "@octo/devnet/bench";
import { startIndexer } from "@octo/indexer";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeCancelledJobs } from "./test/helpers/makeCancelledJobs.ts";

const JOBS = Number(process.env.OCTO_BENCH_INDEXER_JOBS ?? 10_000);

const devnet = await startDevnet({
  model: { name: "bench-model", weightsDigest: `0x${"22".repeat(32)}`, quantization: "f32", engine: "bench" },
});
const dir = mkdtempSync(join(tmpdir(), "octo-indexer-bench-"));
try {
  const made = performance.now();
  const { head } = await makeCancelledJobs(devnet, JOBS);
  const makeMs = performance.now() - made;

  // Every log of the three contracts, counted in block ranges (a whole range in one answer exceeds viem's size limit).
  const { JobMarket, StakingRegistry, ModelRegistry } = devnet.deployments.contracts;
  let events = 0;
  for (let from = 0n; from <= head; from += 20n) {
    const to = from + 19n < head ? from + 19n : head;
    events += (
      await devnet.publicClient.getLogs({
        address: [JobMarket.address, StakingRegistry.address, ModelRegistry.address],
        fromBlock: from,
        toBlock: to,
      })
    ).length;
  }

  const deploymentsPath = join(dir, "deployments.json");
  devnet.writeDeployments(deploymentsPath);
  const started = Date.now();
  let backfillStarted: number | undefined;
  const indexer = await startIndexer({
    deploymentsPath,
    rpcUrl: devnet.rpcUrl,
    port: await freePort(),
    pgliteDir: join(dir, "pglite"),
    onLog: (line) => {
      if (backfillStarted === undefined && /backfill/i.test(line))
        backfillStarted = (JSON.parse(line) as { time: number }).time;
    },
  });
  await indexer.waitForBlock(head, 1_800_000);
  const done = Date.now();
  await indexer.stop();
  const from = backfillStarted ?? started;
  console.log(
    `${JOBS} jobs (${events} events, ${head} blocks) made in ${Math.round(makeMs)} ms; indexed in ${done - from} ms after ${from - started} ms of start-up`,
  );
  recordBench({
    "indexer.eventsPerSec": Math.round(events / ((done - from) / 1000)),
    "indexer.backfillJobs": JOBS,
    "indexer.backfillEvents": events,
    "indexer.startupMs": from - started,
  });
} finally {
  await devnet.stop();
  rmSync(dir, { recursive: true, force: true });
}
