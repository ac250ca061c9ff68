// Faults: a provider that stops serving (its job's deadline passes without a result), a provider's worker process
// killed while it streams an answer, and a gateway killed with a job in flight. The escrow of a job that was not
// delivered comes back; a job the gateway was following when it died is followed again after the restart and settles
// once; nothing is paid twice.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect } from "chai";
import OpenAI from "openai";
import { erc20Abi } from "viem";
import { jobMarketAbi } from "@octo/sdk";
import { freePort } from "@octo/devnet";
import { renderOctoTinyPrompt } from "@octo/worker/models";
import { listApiKeys, openStore } from "../src/index.ts";
import { getLedgerJob } from "../src/jobs/jobLedger.ts";
import { holdEscrow, markHoldSending } from "../src/jobs/escrowHolds.ts";
import { startGatewayOnLocalMarket, type GatewayOnLocalMarket } from "./helpers/gatewayOnLocalMarket.ts";
import { startWorkerProcess, type WorkerProcess } from "./helpers/workerProcess.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The operator's jobs, from JobCreated. */
async function operatorJobs(g: GatewayOnLocalMarket) {
  const logs = await g.operatorClient.getContractEvents({
    address: g.market.devnet.contracts.JobMarket.address,
    abi: jobMarketAbi,
    eventName: "JobCreated",
    args: { user: g.operator.address },
    fromBlock: 0n,
    strict: true,
  });
  return logs.map((l) => l.args.jobId);
}
/** The operator's money: its wallet and its market balance (where the gateway's top-ups and every refund go). */
const usdcOf = async (g: GatewayOnLocalMarket) => {
  const token = g.market.devnet.contracts.MockUSDC.address;
  const [wallet, balance] = await Promise.all([
    g.operatorClient.readContract({
      address: token,
      abi: erc20Abi,
      functionName: "balanceOf",
      args: [g.operator.address],
    }),
    g.operatorClient.getBalance({ token, account: g.operator.address }),
  ]);
  return wallet + balance;
};

describe("gateway: a provider that stops serving", function () {
  this.timeout(300_000);
  let g: GatewayOnLocalMarket;
  before(async () => {
    g = await startGatewayOnLocalMarket({ market: { model: "fixture" }, gateway: { deadlineSeconds: 300 } });
    await g.market.worker.stop(); // still registered and eligible: the gateway picks it, and it never answers
  });
  after(async () => g?.stop());

  /** Once the request's job exists, moves chain time past its deadline. */
  async function passDeadlineOfNextJob(known: number) {
    while ((await operatorJobs(g)).length === known) await sleep(300);
    await g.market.devnet.passTime(301);
  }

  it("a whole request: the escrow is reclaimed and the client gets 504 provider_timeout", async () => {
    const balance = await usdcOf(g);
    const known = (await operatorJobs(g)).length;
    const request = g
      .openai()
      .completions.create({ model: "octo-fixture-tiny", prompt: "hello", max_tokens: 8 })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    await passDeadlineOfNextJob(known);
    const error = await request;
    expect(error).to.be.instanceOf(OpenAI.APIError);
    expect([
      (error as InstanceType<typeof OpenAI.APIError>).status,
      (error as InstanceType<typeof OpenAI.APIError>).code,
    ]).to.deep.equal([504, "provider_timeout"]);
    const [jobId] = (await operatorJobs(g)).slice(known);
    expect((await g.operatorClient.getJob({ jobId: jobId! })).statusName).to.be.oneOf(["Cancelled", "TimedOut"]);
    expect(await usdcOf(g)).to.equal(balance);
  });

  it("a streamed request: the stream ends with a provider_timeout error and the escrow comes back", async () => {
    const balance = await usdcOf(g);
    const known = (await operatorJobs(g)).length;
    const stream = await g.openai().chat.completions.create({
      model: "octo-fixture-tiny",
      messages: [{ role: "user", content: "hello" }],
      max_tokens: 8,
      stream: true,
    });
    const passing = passDeadlineOfNextJob(known);
    let caught: unknown;
    let text = "";
    try {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    } catch (error) {
      caught = error;
    }
    await passing;
    expect(text).to.equal("");
    expect(caught).to.be.instanceOf(OpenAI.APIError);
    expect((caught as InstanceType<typeof OpenAI.APIError>).code).to.equal("provider_timeout");
    expect(await usdcOf(g)).to.equal(balance);
  });
});

describe("gateway: the provider's worker process killed (SIGKILL) mid-stream", function () {
  this.timeout(400_000);
  let g: GatewayOnLocalMarket;
  let worker: WorkerProcess | undefined;
  before(async () => {
    const marketDataDir = mkdtempSync(join(tmpdir(), "octo-gateway-faults-"));
    g = await startGatewayOnLocalMarket({
      market: { model: "fixture", dataDir: marketDataDir },
      gateway: { deadlineSeconds: 300 },
    });
    await g.market.worker.stop(); // the same provider, served from its own process instead
    worker = await startWorkerProcess({ marketDataDir });
    await g.restartGateway({ streamUrls: { [g.market.provider.address]: worker.streamUrl } });
  });
  after(async () => {
    await worker?.kill();
    await g?.stop();
  });

  it("the stream ends with provider_timeout, the job is timed out, and the operator pays only for delivered jobs", async () => {
    const balance = await usdcOf(g);
    // A delivered job first, through the same worker process, settled to the end: what the operator pays.
    const { response } = await g
      .openai()
      .completions.create({ model: "octo-fixture-tiny", prompt: "Once upon a time", max_tokens: 8 })
      .withResponse();
    const delivered = BigInt(response.headers.get("x-octo-job-id")!);
    for (let i = 0; i < 600; i++) {
      const { statusName } = await g.operatorClient.getJob({ jobId: delivered });
      if (statusName === "Finalized") break;
      if (statusName === "Submitted") await g.market.devnet.passChallengeWindow();
      await sleep(500);
    }
    const deliveredJob = await g.operatorClient.getJob({ jobId: delivered });
    expect(deliveredJob.statusName).to.equal("Finalized");
    const paid = BigInt(deliveredJob.tokenCount) * deliveredJob.pricePerToken;
    expect(paid > 0n).to.equal(true);

    // A long answer, streamed: the worker process is killed as soon as its first tokens reach the client.
    const known = (await operatorJobs(g)).length;
    const stream = await g.openai().completions.create({
      model: "octo-fixture-tiny",
      prompt: "Once upon a time",
      max_tokens: 400,
      stream: true,
    });
    let text = "";
    let caught: unknown;
    let passing: Promise<void> | undefined;
    try {
      for await (const chunk of stream) {
        const piece = chunk.choices[0]?.text ?? "";
        if (piece && !passing) {
          await worker!.kill();
          // Nobody will deliver: chain time passes the job's deadline, and the gateway reclaims its escrow.
          passing = g.market.devnet.passTime(301);
        }
        text += piece;
      }
    } catch (error) {
      caught = error;
    }
    await passing;
    expect(text).to.not.equal("");
    expect(caught).to.be.instanceOf(OpenAI.APIError);
    expect((caught as InstanceType<typeof OpenAI.APIError>).code).to.equal("provider_timeout");
    const [killed] = (await operatorJobs(g)).slice(known);
    const killedJob = await g.operatorClient.getJob({ jobId: killed! });
    expect(killedJob.statusName).to.be.oneOf(["Cancelled", "TimedOut"]); // no result was ever submitted
    expect(killedJob.tokenCount).to.equal(0);
    expect(await usdcOf(g)).to.equal(balance - paid);
  });
});

describe("gateway: killed with a job in flight, then restarted", function () {
  this.timeout(400_000);
  let g: GatewayOnLocalMarket;
  let child: ChildProcess | undefined;
  const MAIN = resolve(import.meta.dirname, "../src/cli/main.ts");
  before(async () => (g = await startGatewayOnLocalMarket()));
  after(async () => {
    child?.kill("SIGKILL");
    await g?.stop();
  });

  /** The CLI's `serve` on the test gateway's data directory (the in-process gateway is stopped first). */
  async function serve(port: number): Promise<ChildProcess> {
    const proc = spawn(
      process.execPath,
      [
        MAIN,
        "--data-dir",
        g.dataDir,
        "serve",
        "--port",
        String(port),
        "--stream-url",
        `${g.market.provider.address}=${g.market.worker.stream.url}`,
      ],
      {
        env: {
          PATH: process.env.PATH,
          OCTO_GATEWAY_OPERATOR_KEY: g.operatorKey,
          OCTO_RPC_URL: g.market.devnet.rpcUrl,
          OCTO_DEPLOYMENTS: g.market.deploymentsPath,
          OCTO_GATEWAY_LOG_LEVEL: "warn",
        },
        stdio: ["ignore", "inherit", "inherit"],
      },
    );
    for (let i = 0; i < 200; i++) {
      if (
        await fetch(`http://127.0.0.1:${port}/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return proc;
      await sleep(250);
    }
    throw new Error("the gateway did not start");
  }

  it("re-attaches the job after a restart: it settles once, charged once, and no job is created again", async () => {
    await g.gateway.stop();
    const port = await freePort();
    child = await serve(port);
    const known = (await operatorJobs(g)).length;
    const client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: g.apiKey, maxRetries: 0 });
    const request = client.completions
      .create({ model: "octo-tiny", prompt: renderOctoTinyPrompt("17 + 25"), max_tokens: 8 })
      .then(
        () => "answered",
        () => "failed",
      );
    while ((await operatorJobs(g)).length === known) await sleep(100);
    child.kill("SIGKILL");
    await new Promise((r) => child!.once("exit", r));
    expect(await request).to.equal("failed"); // the client lost its connection with the gateway
    const [jobId] = (await operatorJobs(g)).slice(known);

    child = await serve(port);
    // The provider delivers; once its result is on-chain, time passes its challenge window and it finalizes.
    for (let i = 0; i < 600; i++) {
      const { statusName } = await g.operatorClient.getJob({ jobId: jobId! });
      if (statusName === "Finalized") break;
      if (statusName === "Submitted") await g.market.devnet.passChallengeWindow();
      await sleep(500);
    }
    const read = () => {
      const store = openStore({ path: `${g.dataDir}/gateway.sqlite` });
      try {
        return { ledger: getLedgerJob(store, jobId!), spent: listApiKeys(store).find((k) => k.name === "test")!.spent };
      } finally {
        store.close();
      }
    };
    for (let i = 0; i < 120 && read().ledger?.state !== "settled"; i++) await sleep(500);
    const job = await g.operatorClient.getJob({ jobId: jobId! });
    const cost = BigInt(job.tokenCount) * job.pricePerToken;
    const { ledger, spent } = read();
    expect(job.statusName).to.equal("Finalized");
    expect(ledger?.state).to.equal("settled");
    expect(ledger?.cost).to.equal(cost);
    expect(spent).to.equal(cost);
    expect((await operatorJobs(g)).length).to.equal(known + 1);
    const finalized = await g.operatorClient.getContractEvents({
      address: g.market.devnet.contracts.JobMarket.address,
      abi: jobMarketAbi,
      eventName: "JobFinalized",
      args: { jobId: jobId! },
      fromBlock: 0n,
    });
    expect(finalized).to.have.length(1);
  });

  it("adopts a job mined but never recorded (a crash between the two) and charges it to the request's key", async () => {
    // The crashed process left two holds on the test key: one whose createJob was out ('sending': the job below) and
    // one still waiting in the send queue (no job will come of it).
    const keyIdAndSpent = () => {
      const store = openStore({ path: `${g.dataDir}/gateway.sqlite` });
      try {
        const key = listApiKeys(store).find((k) => k.name === "test")!;
        return { keyId: key.id, spent: key.spent };
      } finally {
        store.close();
      }
    };
    const { keyId, spent: spentBefore } = keyIdAndSpent();
    const store = openStore({ path: `${g.dataDir}/gateway.sqlite` });
    try {
      markHoldSending(store, holdEscrow(store, { keyId, provider: g.market.provider.address, maxCost: 80n }));
      holdEscrow(store, { keyId, provider: g.market.provider.address, maxCost: 50n });
    } finally {
      store.close();
    }
    const { jobId } = await g.operatorClient.createJob({
      input: { prompt: renderOctoTinyPrompt("2 + 3") },
      modelId: g.market.devnet.modelId!,
      paymentToken: g.market.devnet.contracts.MockUSDC.address,
      provider: g.market.provider.address,
      maxOutputTokens: 8,
      maxPricePerToken: 10n,
      deadlineSeconds: 300,
      payment: "balance", // as the gateway pays (its first job deposited the whole wallet)
    });
    child!.kill("SIGKILL");
    await new Promise((r) => child!.once("exit", r));
    const port = await freePort();
    child = await serve(port);
    const after = openStore({ path: `${g.dataDir}/gateway.sqlite` });
    try {
      const adopted = getLedgerJob(after, jobId);
      expect(adopted?.keyId).to.equal(keyId);
      expect(adopted?.maxCost).to.equal(80n);
    } finally {
      after.close();
    }
    // The sending hold became the job's charge; the waiting one was released.
    expect(keyIdAndSpent().spent).to.equal(spentBefore + 80n);
  });
});
