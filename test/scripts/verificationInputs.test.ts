// scripts/verificationInputs.ts: what a block explorer is given per deployed contract, from Hardhat's build info.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const script = new URL("../../scripts/verificationInputs.ts", import.meta.url).pathname;
const JOB_MARKET = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const POSEIDON_T17 = "0x1111111111111111111111111111111111111111";
const POSEIDON_T5 = "0x2222222222222222222222222222222222222222";
const JOB_RESULTS = "0x3333333333333333333333333333333333333333";
const FRAUD_PROOF = "0x4444444444444444444444444444444444444444";
const COMMITTEE = "0x5555555555555555555555555555555555555555";

describe("scripts/verificationInputs.ts", function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "octo-verify-"));
    writeFileSync(
      join(dir, "80002.json"),
      JSON.stringify({
        chainId: 80002,
        contracts: {
          JobMarket: { address: JOB_MARKET, deployedOnBlock: 12 },
          StakingRegistry: { address: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512", deployedOnBlock: 10 },
          ModelRegistry: { address: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0", deployedOnBlock: 11 },
          MockUSDC: { address: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9", deployedOnBlock: 9 },
        },
      }),
    );
    mkdirSync(join(dir, "ignition"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const run = () =>
    spawnSync(process.execPath, [script, join(dir, "80002.json"), join(dir, "ignition"), join(dir, "out")], {
      encoding: "utf8",
    });

  it("writes each contract's standard JSON input, fully qualified name and compiler, linked to Ignition's libraries", () => {
    writeFileSync(
      join(dir, "ignition", "deployed_addresses.json"),
      JSON.stringify({
        "OctoTestnet#PoseidonT17": POSEIDON_T17,
        "OctoTestnet#PoseidonT5": POSEIDON_T5,
        "OctoTestnet#JobResults": JOB_RESULTS,
        "OctoTestnet#FraudProof": FRAUD_PROOF,
        "OctoTestnet#Committee": COMMITTEE,
      }),
    );
    const { status, stderr } = run();
    expect(status, stderr).to.equal(0);
    const out = JSON.parse(readFileSync(join(dir, "out", "JobMarket.json"), "utf8"));
    expect(out.address).to.equal(JOB_MARKET);
    expect(out.contractName).to.equal("project/contracts/JobMarket.sol:JobMarket");
    expect(out.compilerVersion).to.match(/^v0\.8\.28\+commit\.[0-9a-f]+$/);
    expect(out.standardJsonInput.language).to.equal("Solidity");
    expect(out.standardJsonInput.sources).to.have.property("project/contracts/JobMarket.sol");
    expect(out.standardJsonInput.settings.optimizer).to.deep.equal({ enabled: true, runs: 200 });
    // JobMarket links its own libraries; the Poseidon ones are FraudProof's.
    expect(out.standardJsonInput.settings.libraries).to.deep.equal({
      "project/contracts/libraries/Committee.sol": { Committee: COMMITTEE },
      "project/contracts/libraries/FraudProof.sol": { FraudProof: FRAUD_PROOF },
      "project/contracts/libraries/JobResults.sol": { JobResults: JOB_RESULTS },
    });
    // A contract that links nothing carries no libraries.
    const registry = JSON.parse(readFileSync(join(dir, "out", "ModelRegistry.json"), "utf8"));
    expect(registry.standardJsonInput.settings).to.not.have.property("libraries");
  });

  it("refuses to write an input whose library addresses it does not know", () => {
    const { status, stderr } = run();
    expect(status).to.not.equal(0);
    expect(stderr).to.match(/JobMarket links (JobResults|FraudProof|Committee)/);
  });
});
