// A provider's first hour through `octo-worker setup`, on a local devnet: a fresh key is told everything it lacks
// before anything is sent, gets test funds from the faucet, is set up in one command (the model's registry id found
// from its GGUF), serves a user's job through `octo-worker start` and is paid; a rerun of setup changes nothing.
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { createWalletClient, erc20Abi, http, publicActions, type Address } from "viem";
import { startDevnet, type Devnet } from "@octo/devnet";
import { JobStatus, jobMarketAbi, octoActions, stakingRegistryAbi } from "@octo/sdk";
import { makeFixtureModel } from "../../scripts/makeFixtureModel.ts";
import { waitForValue } from "../helpers/waitFor.ts";
import { CLI as cli, initProvider, runCli } from "../helpers/runCli.ts";

describe("octo-worker setup: from a fresh key to a served, paid job (devnet)", function () {
  this.timeout(300_000);
  let devnet: Devnet;
  let dir: string;
  let config: string;
  let address: Address;
  let daemon: ChildProcess | undefined;
  const model = makeFixtureModel().path;
  const setupArgs = ["setup", "--model", model, "--context", "512"];

  const run = (...args: string[]) => runCli(["-c", config, ...args]);
  const nonce = () => devnet.publicClient.getTransactionCount({ address });

  before(async () => {
    devnet = await startDevnet(); // no model listed: setup finds it missing and (devnet only) lists it
    ({ dir, config, address } = await initProvider(devnet, "octo-setup-"));
  });
  after(async () => {
    if (daemon && daemon.exitCode === null) {
      const exited = new Promise((resolve) => daemon!.once("exit", resolve));
      daemon.kill("SIGTERM"); // the daemon drains and stops
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
      daemon.kill("SIGKILL");
    }
    await devnet?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("names everything a fresh key lacks (model listing, OCTO, gas money) and sends nothing", async () => {
    const r = await run(...setupArgs, "--price", "10", "--yes");
    expect(r.code).to.equal(1);
    expect(r.out).to.include("setup cannot go on; nothing was sent");
    expect(r.out).to.match(/model 0x[0-9a-f]{64} is not in the registry/);
    expect(r.out).to.include("on a local devnet: rerun with --register-model");
    expect(r.out).to.include("staking 1000 OCTO more needs 1000 OCTO more than the 0 OCTO the wallet holds");
    expect(r.out).to.match(new RegExp(`${address} holds 0 POL; these 5 transactions may cost up to [0-9.]+ POL`));
    expect(await nonce()).to.equal(0);
  });

  it("after the faucet, lists the model, registers, stakes the tier's minimum and offers it, showing each cost first", async () => {
    await run("faucet");
    const r = await run(...setupArgs, "--price", "10", "--register-model", "--yes");
    expect(r.code, r.out).to.equal(0);
    expect(r.out).to.include("listed in the devnet's registry (dev deployer)");
    expect(r.out).to.match(/tier: Consumer \(no NVIDIA GPU found: Consumer\); minimum stake 1000 OCTO/);
    expect(r.out).to.match(/on-chain, 5 transaction\(s\), at most [0-9.]+ POL in all:/);
    for (const step of [
      "register as a Consumer provider",
      "allow the staking registry to take 1000 OCTO",
      "stake 1000 OCTO (to 1000 OCTO in all)",
      "start accepting jobs",
      "offer the model at 0.00001 USDC per output token, up to 512 tokens of context",
    ]) {
      expect(r.out).to.match(new RegExp(`✓ ${step.replace(/[().]/g, "\\$&")}[^\n]*: 0x[0-9a-f]{64}`));
    }
    expect(r.out).to.include(
      `next: \`octo-worker -c ${config} selftest\` (verifiable offers wait for it), then \`octo-worker -c ${config} start\``,
    );
    const written = JSON.parse(readFileSync(config, "utf8")) as {
      models: { modelPath?: string; engine: { modelPath: string }; pricePerToken: string; maxContext: number }[];
    };
    expect(written.models).to.have.length(1);
    expect(written.models[0]).to.deep.include({ pricePerToken: "10", maxContext: 512 });
    expect(written.models[0]!.engine.modelPath).to.equal(model);
  });

  it("`offers` lists the new offer as the provider's own, in whole tokens", async () => {
    const r = await run("offers");
    expect(r.code, r.out).to.equal(0);
    expect(r.out).to.match(/^octo-fixture-llama 0x[0-9a-f]{64}:$/m);
    expect(r.out).to.match(
      new RegExp(`${address} \\(you\\)\\s+0\\.00001 USDC/token\\s+Consumer\\s+1000 OCTO \\(free 1000\\)\\s+accepting`),
    );
  });

  it("a rerun changes nothing: no transaction, the config as it was", async () => {
    const before = { nonce: await nonce(), config: readFileSync(config, "utf8") };
    const r = await run(...setupArgs, "--yes");
    expect(r.code, r.out).to.equal(0);
    expect(r.out).to.include("on-chain: nothing to change");
    expect(r.out).to.include("config: unchanged");
    expect(await nonce()).to.equal(before.nonce);
    expect(readFileSync(config, "utf8")).to.equal(before.config);
  });

  it("after `selftest`, `start` serves a user's job to this provider and is paid after the challenge window", async () => {
    const selftest = await run("selftest");
    expect(selftest.code, selftest.out).to.equal(0);
    expect(selftest.out).to.match(/octo-fixture-llama: PASSED/);
    // The class the offer declared on-chain is the one the self-test reads from the running engine.
    const tested = /class (0x[0-9a-f]{64}):/.exec(selftest.out)?.[1];
    const modelId = JSON.parse(readFileSync(config, "utf8")).models[0].modelId as `0x${string}`;
    expect(tested, selftest.out).to.match(/^0x[0-9a-f]{64}$/);
    expect(
      await devnet.publicClient.readContract({
        address: devnet.contracts.StakingRegistry.address,
        abi: stakingRegistryAbi,
        functionName: "classOf",
        args: [address, modelId],
      }),
    ).to.equal(tested);
    daemon = spawn(process.execPath, [cli, "-c", config, "start"], {
      env: { ...process.env, OCTO_LOG_LEVEL: "warn", OCTO_OPS_PORT: "0", OCTO_STREAM_PORT: "0" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let printed = "";
    daemon.stdout!.on("data", (chunk: Buffer) => (printed += chunk.toString()));
    await waitForValue(async () => printed.includes("octo-worker ready:"), {
      message: "the ready line",
      timeoutMs: 120_000,
    });
    expect(printed).to.match(
      new RegExp(
        `octo-worker ready: ${address} serving octo-fixture-llama \\(verifiable\\) at 10 units/token, 1 job\\(s\\) at once; metrics http://127\\.0\\.0\\.1:\\d+/metrics`,
      ),
    );
    const user = createWalletClient({
      chain: devnet.chain,
      transport: http(devnet.rpcUrl),
      account: devnet.user,
      pollingInterval: 200,
    })
      .extend(publicActions)
      .extend(octoActions({ deployments: devnet.deployments }));
    const [listed] = await user.listModels();
    const usdc = devnet.contracts.MockUSDC.address;
    // The provider's earnings are credited to its balance in the market (withdrawn in one transfer, any time).
    const balance = () =>
      devnet.publicClient.readContract({
        address: devnet.contracts.JobMarket.address,
        abi: jobMarketAbi,
        functionName: "balanceOf",
        args: [usdc, address],
      });
    const paidBefore = await balance();
    const job = await user.createJob({
      input: { prompt: "Hello" },
      modelId: listed!.modelId,
      paymentToken: usdc,
      provider: address,
      maxOutputTokens: 8,
      maxPricePerToken: 10n,
    });
    await waitForValue(
      async () => ((await user.getJob({ jobId: job.jobId })).status === JobStatus.Submitted ? true : undefined),
      { message: "the job submitted", timeoutMs: 180_000 },
    );
    await devnet.passChallengeWindow();
    await waitForValue(
      async () => ((await user.getJob({ jobId: job.jobId })).status === JobStatus.Finalized ? true : undefined),
      { message: "the job finalized", timeoutMs: 120_000 },
    );
    const receipt = await devnet.publicClient.readContract({
      address: devnet.contracts.JobMarket.address,
      abi: jobMarketAbi,
      functionName: "getReceipt",
      args: [job.jobId],
    });
    expect(receipt.job.tokenCount).to.be.greaterThan(0);
    expect(receipt.providerAmount > 0n, "the provider's share is positive").to.equal(true);
    expect((await balance()) - paidBefore).to.equal(receipt.providerAmount);
  });

  it("its earnings wait in the market, and `octo-worker earnings --withdraw` takes them in one transfer", async () => {
    // The daemon stops first: the command sends from the same account.
    const exited = new Promise((resolve) => daemon!.once("exit", resolve));
    daemon!.kill("SIGTERM");
    await exited;
    const usdc = devnet.contracts.MockUSDC.address;
    const inMarket = () =>
      devnet.publicClient.readContract({
        address: devnet.contracts.JobMarket.address,
        abi: jobMarketAbi,
        functionName: "balanceOf",
        args: [usdc, address],
      });
    const held = () =>
      devnet.publicClient.readContract({ address: usdc, abi: erc20Abi, functionName: "balanceOf", args: [address] });
    const earned = await inMarket();
    expect(earned > 0n, "the served job's pay is in the market").to.equal(true);
    const heldBefore = await held();
    const { code, out } = await run("earnings", "--withdraw");
    expect(code, out).to.equal(0);
    expect(out).to.match(/withdrew /);
    expect(await inMarket()).to.equal(0n);
    expect((await held()) - heldBefore).to.equal(earned);
  });
});
