// A provider's first steps with the CLI, on a local devnet, from a key that holds nothing: every failure says what
// is missing and what to do, the faucet funds the key, and registration and staking succeed (without a false
// "nonce taken" on a mined registration).
import { expect } from "chai";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { startDevnet, type Devnet } from "@octo/devnet";
import { makeFixtureModel } from "../../scripts/makeFixtureModel.ts";
import { initProvider, runCli } from "../helpers/runCli.ts";

describe("provider onboarding with octo-worker (devnet, a fresh key)", function () {
  this.timeout(300_000);
  let devnet: Devnet;
  let dir: string;
  let config: string;

  const run = (...args: string[]) => runCli(["-c", config, ...args]);

  const model = {
    name: "octo-fixture-tiny",
    weightsDigest: `0x${makeFixtureModel().sha256}` as const,
    quantization: "f32",
    engine: "llama.cpp",
  };

  before(async () => {
    devnet = await startDevnet({ model });
    ({ dir, config } = await initProvider(devnet, "octo-onboarding-"));
  });
  after(async () => {
    await devnet?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("register with no gas money names the address, what it holds and what the transaction may cost", async () => {
    const r = await run("register", "--tier", "0");
    expect(r.code).to.equal(1);
    expect(r.out).to.match(
      /0x[0-9a-fA-F]{40} holds 0 of the chain's native token and this transaction may cost up to [0-9.]+/,
    );
    expect(r.out).to.include("Fund the account");
  });

  it("after the faucet's POL, registers, and says so (no false 'nonce taken')", async () => {
    expect((await run("faucet", "--octo", "0", "--usdc", "0")).out).to.match(
      /gave 0x[0-9a-fA-F]{40} 10 POL, 0 OCTO, 0 USDC/,
    );
    const r = await run("register", "--tier", "0");
    expect(r.code, r.out).to.equal(0);
    expect(r.out).to.match(/^registered: 0x[0-9a-f]{64}$/m);
    expect(r.out).to.not.include("Nonce");
  });

  it("staking without OCTO says how much is held and how much more is needed", async () => {
    const r = await run("stake", "1000");
    expect(r.code).to.equal(1);
    expect(r.out).to.match(/has 0 OCTO; staking 1000 needs 1000 more\. On a local devnet: `octo-worker faucet`\./);
  });

  it("after the faucet's OCTO, stakes, and status shows the stake in whole tokens", async () => {
    await run("faucet", "--pol", "0", "--usdc", "0");
    const r = await run("stake", "1000");
    expect(r.code, r.out).to.equal(0);
    const status = JSON.parse((await run("status", "--json")).out) as Record<string, unknown>;
    expect(status).to.deep.include({
      registered: true,
      tier: "Consumer",
      stake: "1000",
      locked: "0",
      free: "1000",
      wallet: "9000",
      stakingToken: "OCTO",
    });
    expect((await run("status")).out).to.match(/^stake\s+1000 OCTO \(locked 0, free 1000\)$/m);
  });

  it("lists the registry's models with the id an offer needs", async () => {
    const r = await run("models");
    expect(r.out).to.include(`${devnet.modelId}  ${model.name} (f32, llama.cpp)`);
  });

  it("a config for another chain, or an RPC that does not answer, is named as such before anything is read or sent", async () => {
    const original = readFileSync(config, "utf8");
    try {
      writeFileSync(config, JSON.stringify({ ...JSON.parse(original), chainId: 80002 }));
      expect((await run("status")).out).to.match(/the deployments are for chain 31337, not 80002/);
      writeFileSync(config, JSON.stringify({ ...JSON.parse(original), rpcUrls: ["http://127.0.0.1:1"] }));
      expect((await run("status")).out).to.match(/cannot reach the RPC \(http:\/\/127\.0\.0\.1:1\)/);
    } finally {
      writeFileSync(config, original);
    }
  });
});
