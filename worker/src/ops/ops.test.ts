import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { createPublicClient, type Hex, parseGwei } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { startAnvil } from "@octo/devnet";
import { startTcpProxy } from "../../test/helpers/tcpProxy.ts";
import { ANVIL_KEYS, deployTestMarket, testMarket } from "../../test/helpers/testMarket.ts";
import { waitFor } from "../../test/helpers/waitFor.ts";
import { createSender } from "../sender/createSender.ts";
import { openStore } from "../store/openStore.ts";
import { createWatcher, watchedContract } from "../watch/createWatcher.ts";
import { failoverTransport } from "../watch/failoverTransport.ts";
import { createHealth, senderCheck, watcherCheck } from "./createHealth.ts";
import { createLogger } from "./createLogger.ts";
import { createMetrics } from "./createMetrics.ts";
import { installShutdown } from "./installShutdown.ts";
import { startOpsServer } from "./startOpsServer.ts";

/** Prometheus text exposition → { 'name{a="b"}': value }. */
function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (\S+)/.exec(line);
    if (!match) throw new Error(`unparseable metrics line: ${line}`);
    samples.set(match[1] as string, Number(match[2]));
  }
  return samples;
}

describe("ops", function () {
  this.timeout(60_000);

  it("logs JSON and redacts keys wherever they appear", () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString().split("\n").filter(Boolean));
        done();
      },
    });
    const logger = createLogger({ destination });
    const key = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
    logger.info(
      { privateKey: key, account: { privateKey: key }, wallet: { password: "hunter2" }, raw: "0x02f8" },
      "hello",
    );
    const record = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(record).to.deep.include({
      level: "info",
      msg: "hello",
      name: "octo-worker",
      privateKey: "[redacted]",
      raw: "[redacted]",
    });
    expect(record.account).to.deep.equal({ privateKey: "[redacted]" });
    expect(lines.join("\n")).to.not.contain(key.slice(2)).and.not.contain("hunter2");
  });

  it("serves /metrics that parse, with the metrics the issue lists", async () => {
    const metrics = createMetrics();
    metrics.setJobCounts({ seen: 2, done: 5 });
    metrics.setDisputeDutyCounts([{ role: "member", step: "acted", n: 3 }]);
    metrics.tokensPerSecond.set({ model: "fixture" }, 41.5);
    metrics.proofSeconds.observe({ batch: "false" }, 1.2);
    metrics.gasUsed.inc({ action: "claim" }, 90_000);
    metrics.gasSpentWei.inc({ action: "claim" }, 1e15);
    metrics.earnings.inc({ token: "USDC" }, 0.25);
    metrics.engineRestarts.inc({ model: "fixture" });
    metrics.queueSeconds.set(95.5);
    let scrapes = 0;
    const server = await startOpsServer({ port: 0, metrics, health: createHealth(), onScrape: () => scrapes++ });
    try {
      const res = await fetch(`${server.url}/metrics`);
      expect(res.status).to.equal(200);
      expect(res.headers.get("content-type")).to.contain("text/plain");
      const samples = parseMetrics(await res.text());
      expect(samples.get('octo_jobs{state="seen"}')).to.equal(2);
      expect(samples.get('octo_jobs{state="done"}')).to.equal(5);
      expect(samples.get('octo_jobs{state="failed"}')).to.equal(0);
      expect(samples.get('octo_dispute_duties{role="member",state="acted"}')).to.equal(3);
      expect(samples.get('octo_dispute_duties{role="accused",state="open"}')).to.equal(0);
      expect(samples.get('octo_tokens_per_second{model="fixture"}')).to.equal(41.5);
      expect(samples.get('octo_proof_seconds_bucket{le="2",batch="false"}')).to.equal(1);
      expect(samples.get('octo_proof_seconds_count{batch="false"}')).to.equal(1);
      expect(samples.get('octo_gas_used_total{action="claim"}')).to.equal(90_000);
      expect(samples.get("octo_queue_seconds")).to.equal(95.5);
      expect(samples.get('octo_gas_spent_wei_total{action="claim"}')).to.equal(1e15);
      expect(samples.get('octo_earnings_total{token="USDC"}')).to.equal(0.25);
      expect(samples.get('octo_engine_restarts_total{model="fixture"}')).to.equal(1);
      expect([...samples.keys()].some((k) => k.startsWith("octo_process_cpu"))).to.equal(true);
      expect(scrapes).to.equal(1);
      expect((await fetch(`${server.url}/nope`)).status).to.equal(404);
    } finally {
      await server.close();
    }
  });

  it("/health turns 503 while the watcher stalls (RPC down) and 200 once it recovers", async () => {
    const chain = await startAnvil();
    const proxy = await startTcpProxy({ targetPort: chain.port });
    const dir = mkdtempSync(join(tmpdir(), "octo-ops-"));
    const store = openStore({ path: join(dir, "worker.db") });
    const market = await deployTestMarket(chain.url);
    const watcher = createWatcher({
      client: createPublicClient({ chain: foundry, transport: failoverTransport([proxy.url], { timeoutMs: 1_000 }) }),
      store,
      contracts: [
        watchedContract({
          name: "TestMarket",
          address: market.address,
          abi: testMarket().abi,
          fromBlock: market.blockNumber,
          handlers: {},
        }),
      ],
      confirmations: 0,
      pollIntervalMs: 100,
      backoff: { initialMs: 100, maxMs: 500 },
      stallAfterMs: 1_000,
    });
    const health = createHealth();
    health.register("watcher", watcherCheck(watcher));
    health.register("engine:fixture", () => ({ status: "ok" }));
    const server = await startOpsServer({ port: 0, metrics: createMetrics({ defaultMetrics: false }), health });
    const get = async () => {
      const res = await fetch(`${server.url}/health`);
      return {
        status: res.status,
        body: (await res.json()) as { status: string; components: Record<string, { status: string }> },
      };
    };
    try {
      watcher.start();
      await waitFor(async () => (await get()).status === 200 && watcher.health().status === "ok", {
        message: "healthy",
      });
      await proxy.down();
      await waitFor(async () => (await get()).status === 503, { message: "503" });
      const down = await get();
      expect(down.body.status).to.equal("down");
      expect(down.body.components.watcher!.status).to.equal("down");
      expect(down.body.components["engine:fixture"]!.status).to.equal("ok");
      await proxy.up();
      await waitFor(async () => (await get()).status === 200, { message: "recovered" });
      expect((await get()).body.components.watcher!.status).to.equal("ok");
    } finally {
      await watcher.stop();
      await server.close();
      await proxy.close();
      store.close();
      await chain.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("/health turns 503 and /metrics shows the age of the oldest unmined transaction while the sender is stuck", async () => {
    const chain = await startAnvil();
    const dir = mkdtempSync(join(tmpdir(), "octo-ops-"));
    const store = openStore({ path: join(dir, "worker.db") });
    const market = await deployTestMarket(chain.url);
    const sender = createSender({
      client: createPublicClient({ chain: foundry, transport: failoverTransport([chain.url]) }),
      account: privateKeyToAccount(ANVIL_KEYS[2] as Hex),
      store,
      maxFeePerGas: parseGwei("500"),
      maxPriorityFeePerGas: parseGwei("50"),
      pollIntervalMs: 50,
      stuckAfterMs: 500,
    });
    const metrics = createMetrics({ defaultMetrics: false });
    const health = createHealth();
    health.register("sender", senderCheck(sender));
    const server = await startOpsServer({
      port: 0,
      metrics,
      health,
      onScrape: () => metrics.setSenderHealth(sender.health()),
    });
    const oldestSeconds = async () =>
      parseMetrics(await (await fetch(`${server.url}/metrics`)).text()).get("octo_sender_oldest_unmined_seconds");
    try {
      expect((await fetch(`${server.url}/health`)).status).to.equal(200);
      expect(await oldestSeconds()).to.equal(0);
      await chain.rpc("evm_setAutomine", [false]); // nothing is mined: the transaction waits
      const sent = sender.send({
        intent: "job:1:createJob",
        address: market.address,
        abi: testMarket().abi,
        functionName: "createJob",
        args: [1n, 5n],
      });
      await waitFor(async () => (await fetch(`${server.url}/health`)).status === 503, { message: "503 while stuck" });
      const body = (await (await fetch(`${server.url}/health`)).json()) as {
        components: { sender: { status: string; detail: { stuck: boolean } } };
      };
      expect(body.components.sender).to.deep.include({ status: "down" });
      expect(body.components.sender.detail.stuck).to.equal(true);
      expect(await oldestSeconds()).to.be.greaterThan(0.5);
      await chain.rpc("evm_mine");
      await sent;
      expect((await fetch(`${server.url}/health`)).status).to.equal(200);
      expect(await oldestSeconds()).to.equal(0);
    } finally {
      await server.close();
      store.close();
      await chain.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("shuts down gracefully on SIGTERM: stops serving, drains, closes the database, exits 0", async () => {
    const dir = mkdtempSync(join(tmpdir(), "octo-shutdown-"));
    const script = fileURLToPath(new URL("../../test/helpers/shutdownChild.ts", import.meta.url));
    const child = spawn(process.execPath, [script, dir], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      await waitFor(() => /ready \d+/.test(stderr), { message: `child ready (${stderr})` });
      const port = Number(/ready (\d+)/.exec(stderr)![1]);
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).to.equal(200);
      child.kill("SIGTERM");
      expect(await exited).to.equal(0);
      const logs = stdout
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { msg: string; step?: string });
      expect(logs.filter((l) => l.msg === "shutdown: step done").map((l) => l.step)).to.deep.equal([
        "stop accepting",
        "ops server",
        "drain",
        "store",
      ]);
      let refused = false;
      await fetch(`http://127.0.0.1:${port}/health`).catch(() => (refused = true));
      expect(refused).to.equal(true);
      // The drained job's write is durable and the database was closed cleanly (WAL checkpointed away).
      expect(existsSync(join(dir, "worker.db-wal"))).to.equal(false);
      const store = openStore({ path: join(dir, "worker.db") });
      expect(store.getJob(1n)?.step).to.equal("claiming");
      store.close();
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reports a failing or hanging shutdown step with exit code 1 and still runs the rest", async () => {
    const ran: string[] = [];
    const { shutdown, uninstall } = installShutdown({
      signals: [],
      stepTimeoutMs: 200,
      exit: () => undefined,
      steps: [
        { name: "hangs", run: () => new Promise(() => undefined) },
        {
          name: "throws",
          run: () => {
            throw new Error("x");
          },
        },
        {
          name: "store",
          run: () => {
            ran.push("store");
          },
        },
      ],
    });
    expect(await shutdown("test")).to.equal(1);
    expect(ran).to.deep.equal(["store"]);
    uninstall();
  });
});
