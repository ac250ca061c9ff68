// The worker's own cost, measured on a real local chain with the real engine and real proofs.
//   worker.overheadP50Ms        JobCreated handled → result transaction sent, minus inference and proving (median)
//   worker.throughputRatio      jobs/s through the whole worker ÷ jobs/s of the same engine on the same prompts
//                               (median over rounds that run the two in turn)
//   worker.throughputRatioNoProof  the same with the benchmark-only switch that stops jobs after inference
//   worker.proveShare           proving time ÷ (JobCreated handled → result transaction sent), median over jobs
//   worker.throughputRatioNoProofUnpinned  the no-proof ratio with neither engine pinned to a CPU
//   worker.noProofExtraMsPer8Jobs  the worker's no-proof time for a burst of 8 minus the engine's alone (median, ms)
//
// The engine runs pinned to the last CPU (`cpus` in the worker's config, as ENGINES.md recommends for CPU inference),
// and the direct baseline runs in its own process pinned to the same CPU: the ratios compare the same engine in the
// same place, so they measure the worker, not the pinning. Where nothing can be pinned (one CPU, no taskset, not
// Linux) both run unpinned.
//
// Both sides start their measured jobs from the same state: warmed by the same prompts (see WARM_UP), then idle for
// as long as the worker's engine idled while the benchmark created the jobs. An engine's first jobs after a pause
// ran slower here (after 1.5 s asleep the first two jobs took 60-67 ms instead of 48), so a baseline run back to
// back would charge the benchmark's own job creation to the worker.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { cpus } from "node:os";
import { median, recordBench } from "@octo/devnet/bench";
import { loadConfig } from "../src/config/loadConfig.ts";
import { createLogger } from "../src/ops/createLogger.ts";
import { startWorker } from "../src/daemon/startWorker.ts";
import { makeFixtureModel } from "../scripts/makeFixtureModel.ts";
import { PRICE_PER_TOKEN, startHarness } from "../test/e2e/workerHarness.ts";

const MAX_TOKENS = 256;
const prompts = Array.from({ length: 8 }, (_, i) => `Benchmark prompt number ${i}: tell me about the number ${i * 7}.`);
// The fixture's engine spends about as long in node-llama-cpp's JavaScript as in llama.cpp per token, so it speeds up
// as V8 optimises that code: eight jobs took 0.50 s after one warm-up job and 0.35 s from the fourth round of eight
// on (measured pinned, 2026-11-23). A worker runs for days, so the no-proof ratios compare the two sides warm, each
// after the same 24 warm-up prompts. The rounds with proofs are prover-bound and warm each side with one job.
const warmUpPrompts = (count: number) =>
  Array.from({ length: count }, (_, i) => `Warm-up prompt number ${i}: say something about ${i * 3}.`);
const WARM_UP = { noProof: warmUpPrompts(24), whole: warmUpPrompts(1) };
type Marks = Map<string, Record<string, number>>;

const ENGINE_CPU = pinnableCpu();

function pinnableCpu(): string | undefined {
  if (process.platform !== "linux" || cpus().length < 2) return undefined;
  try {
    execFileSync("taskset", ["--version"], { stdio: "ignore" });
  } catch {
    return undefined;
  }
  return String(cpus().length - 1);
}

async function run({
  skipProving,
  sequential,
  pinned = true,
  warmUp,
}: {
  skipProving: boolean;
  sequential: boolean;
  pinned?: boolean;
  warmUp: string[];
}) {
  // Stake for every job of the run: jobs stopped after inference keep their collateral locked.
  const h = await startHarness({
    stake: 5_000n,
    ...(pinned && ENGINE_CPU !== undefined ? { engineCpus: ENGINE_CPU } : {}),
  });
  const marks: Marks = new Map();
  const mark = (jobId: string, name: string, at: number) => marks.set(jobId, { ...marks.get(jobId), [name]: at });
  const worker = await startWorker({
    config: loadConfig({ path: h.configPath, env: h.env }),
    env: h.env,
    logger: createLogger({ level: "silent" }),
    benchmark: {
      skipProving,
      mark: (jobId, name, at) => mark(jobId.toString(), name, at),
      onSubmitSent: (intent, at) => {
        if (!intent.startsWith("submit:")) return;
        for (const id of intent.slice("submit:".length).split(","))
          if (!marks.get(id)?.submitSent) mark(id, "submitSent", at);
      },
    },
  });
  const done = (id: string) => (skipProving ? marks.get(id)?.inferEnd : marks.get(id)?.submitSent) !== undefined;
  const waitFor = async (ids: string[]) => {
    while (!ids.every(done)) await new Promise((r) => setTimeout(r, 10));
  };
  const create = (prompt: string) =>
    h.createJob({ prompt, provider: h.provider, maxOutputTokens: MAX_TOKENS, maxPricePerToken: PRICE_PER_TOKEN });
  // A burst: every job in one block, so the user's side (sealing, signing, sending: this process's CPU) is done
  // before the worker sees the first job, as it would be on the user's own machine.
  const burst = async (burstPrompts: string[]) => {
    const { publicClient, testClient, user } = h.market;
    const sent = () => publicClient.getTransactionCount({ address: user.address, blockTag: "pending" });
    await testClient.setAutomine(false);
    const base = await sent();
    const creations = [];
    for (const [i, p] of burstPrompts.entries()) {
      creations.push(create(p));
      while ((await sent()) < base + i + 1) await new Promise((r) => setTimeout(r, 5));
    }
    await testClient.mine({ blocks: 1 });
    await testClient.setAutomine(true);
    const burstIds: string[] = [];
    for (const c of creations) burstIds.push((await c).jobId.toString());
    await waitFor(burstIds);
    return burstIds;
  };
  // Warm-up, not counted: the model's pages, the prover's start, and the JIT of the worker's and the engine's code.
  const warmUpIds = await burst(warmUp);
  const ids: string[] = [];
  const started = performance.now();
  if (sequential) {
    for (const p of prompts) {
      const id = (await create(p)).jobId.toString();
      ids.push(id);
      await waitFor([id]);
    }
  } else ids.push(...(await burst(prompts)));
  // Through the worker: from the first job's creation event being handled to the last job done (submission sent, or
  // inference finished with the no-proof switch), so the benchmark's own createJob transactions do not count.
  const doneAt = (m: Record<string, number>) => (skipProving ? m.inferEnd! : m.submitSent!);
  const seconds = sequential
    ? (performance.now() - started) / 1000
    : (Math.max(...ids.map((id) => doneAt(marks.get(id)!))) - Math.min(...ids.map((id) => marks.get(id)!.seen!))) /
      1000;
  // How long the engine had nothing to do between the warm-up and the measured jobs (the benchmark creating them):
  // the direct engine idles as long before its own measured prompts, so that both start from the same state.
  const engineIdleMs =
    Math.min(...ids.map((id) => marks.get(id)!.inferStart!)) -
    Math.max(...warmUpIds.map((id) => marks.get(id)!.inferEnd!));
  await worker.stop();
  await h.market.stop();
  rmSync(h.dir, { recursive: true, force: true });
  return { seconds, engineIdleMs, marks: ids.map((id) => marks.get(id)!) };
}

function directSeconds({
  pinned = true,
  warmUp,
  idleMs,
}: {
  pinned?: boolean;
  warmUp: string[];
  idleMs: number;
}): number {
  const script = new URL("./directEngine.ts", import.meta.url).pathname;
  const args = [
    script,
    JSON.stringify({
      modelPath: makeFixtureModel().path,
      warmUpPrompts: warmUp,
      idleMs,
      prompts,
      maxTokens: MAX_TOKENS,
    }),
  ];
  const out =
    pinned && ENGINE_CPU !== undefined
      ? execFileSync("taskset", ["--cpu-list", ENGINE_CPU, process.execPath, ...args], { encoding: "utf8" })
      : execFileSync(process.execPath, args, { encoding: "utf8" });
  return (JSON.parse(out.trim().split("\n").at(-1)!) as { seconds: number }).seconds;
}

const sequential = await run({ skipProving: false, sequential: true, warmUp: WARM_UP.whole });
const overheads = sequential.marks.map(
  (m) => m.submitSent! - m.seen! - (m.inferEnd! - m.inferStart!) - (m.proveEnd! - m.proveStart!),
);
const proveShares = sequential.marks.map((m) => (m.proveEnd! - m.proveStart!) / (m.submitSent! - m.seen!));

// The worker and the direct engine run in turn, round after round, so that both sides of each ratio see the same
// moment of a shared, noisy machine; each figure is the median of its rounds' ratios. The no-proof rounds are short
// (≈ 0.5 s of engine time) and single rounds varied ±15 % here: with 7 rounds the median itself moved by ±0.03 from
// run to run, so they run 11 times (≈ 12 s each), more often than the rounds with proofs.
const ROUNDS = { whole: 3, noProof: 11, unpinned: 5 };
const ratios = { whole: [] as number[], noProof: [] as number[], unpinned: [] as number[] };
// What the worker adds to a burst in absolute terms: the ratio also depends on how long the engine takes per job (this
// machine's fixture took 0.35-0.5 s per 8 jobs on one day, 0.52-0.63 s on another: the same added time is a larger
// share of the shorter burst).
const noProofExtraMs: number[] = [];
const seconds = { direct: [] as number[], whole: [] as number[] };
console.log(
  ENGINE_CPU === undefined
    ? "engine not pinned (needs Linux, taskset and 2 CPUs)"
    : `engine pinned to CPU ${ENGINE_CPU}, direct and worker alike`,
);
for (let i = 0; i < Math.max(...Object.values(ROUNDS)); i++) {
  const line = [`round ${i + 1}:`];
  if (i < ROUNDS.whole) {
    const worker = await run({ skipProving: false, sequential: false, warmUp: WARM_UP.whole });
    const whole = worker.seconds;
    const direct = directSeconds({ warmUp: WARM_UP.whole, idleMs: worker.engineIdleMs });
    ratios.whole.push(direct / whole);
    seconds.direct.push(direct);
    seconds.whole.push(whole);
    line.push(`direct ${direct.toFixed(3)} s, worker ${whole.toFixed(3)} s;`);
  }
  if (i < ROUNDS.noProof) {
    const worker = await run({ skipProving: true, sequential: false, warmUp: WARM_UP.noProof });
    const noProof = worker.seconds;
    const direct = directSeconds({ warmUp: WARM_UP.noProof, idleMs: worker.engineIdleMs });
    ratios.noProof.push(direct / noProof);
    noProofExtraMs.push((noProof - direct) * 1000);
    line.push(
      `direct ${direct.toFixed(3)} s, worker without proofs ${noProof.toFixed(3)} s (engine idle ${worker.engineIdleMs.toFixed(0)} ms before);`,
    );
  }
  if (i < ROUNDS.unpinned) {
    const worker = await run({ skipProving: true, sequential: false, pinned: false, warmUp: WARM_UP.noProof });
    const noProof = worker.seconds;
    const direct = directSeconds({ pinned: false, warmUp: WARM_UP.noProof, idleMs: worker.engineIdleMs });
    ratios.unpinned.push(direct / noProof);
    line.push(`unpinned: direct ${direct.toFixed(3)} s, worker without proofs ${noProof.toFixed(3)} s`);
  }
  console.log(line.join(" "), "(8 jobs)");
}

recordBench({
  "worker.overheadP50Ms": Math.round(median(overheads)),
  "worker.proveShare": Number(median(proveShares).toFixed(3)),
  "worker.throughputRatio": Number(median(ratios.whole).toFixed(3)),
  "worker.throughputRatioNoProof": Number(median(ratios.noProof).toFixed(3)),
  "worker.throughputRatioNoProofUnpinned": Number(median(ratios.unpinned).toFixed(3)),
  "worker.noProofExtraMsPer8Jobs": Math.round(median(noProofExtraMs)),
  "worker.directEngineSecondsFor8Jobs": Number(median(seconds.direct).toFixed(3)),
  "worker.wholeWorkerSecondsFor8Jobs": Number(median(seconds.whole).toFixed(3)),
});
process.exit(0);
