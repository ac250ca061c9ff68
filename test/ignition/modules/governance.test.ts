// Public deployments end with every admin role behind the timelock: a parameter change goes through it (proposed by
// governance, executable only after the delay, by anyone), and nothing else can make it, the deployer included.
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { expect } from "chai";
import { network } from "hardhat";
import { keccak256, toBytes, zeroHash } from "viem";
import { buildCore } from "../../../ignition/modules/core.ts";
import { handToTimelock } from "../../../ignition/modules/governance.ts";
import {
  JobMarket__factory,
  ModelRegistry__factory,
  OctoTimelock__factory,
  StakingRegistry__factory,
} from "../../../types/ethers-contracts/index.ts";

const DELAY = 3_600n;
const role = (name: string) => keccak256(toBytes(name));

// The public networks' shape on the local chain: OctoLocal's contracts, then handToTimelock as Amoy and Polygon do.
const GovernanceTest = buildModule("GovernanceTest", (m) => {
  const octoToken = m.contract("OctoToken", [m.getAccount(0), 10n ** 27n]);
  const mockUSDC = m.contract("MockUSDC");
  const core = buildCore(m, m.contract("ResultVerifier"), octoToken, mockUSDC);
  return { ...core.contracts, ...handToTimelock(m, { ...core.contracts, setup: core.setup }) };
});

describe("ignition: governance ends behind the timelock", function () {
  this.timeout(300_000);

  async function deployed() {
    const { ethers, ignition, networkHelpers } = await network.connect();
    const [deployer, governance, guardian, stranger] = await ethers.getSigners();
    const parameters = {
      GovernanceTest: { governance: governance!.address, guardian: guardian!.address, timelockDelaySeconds: DELAY },
    };
    const d = await ignition.deploy(GovernanceTest, { parameters });
    const jobMarket = JobMarket__factory.connect(await d.jobMarket.getAddress(), deployer);
    const staking = StakingRegistry__factory.connect(await d.stakingRegistry.getAddress(), deployer);
    const models = ModelRegistry__factory.connect(await d.modelRegistry.getAddress(), deployer);
    const timelock = OctoTimelock__factory.connect(await d.timelock.getAddress(), deployer);
    return {
      ethers,
      networkHelpers,
      deployer: deployer!,
      governance: governance!,
      guardian: guardian!,
      stranger: stranger!,
      jobMarket,
      staking,
      models,
      timelock,
    };
  }

  it("leaves the deployer no role and gives every admin role to the timelock (pausing also to the guardian)", async () => {
    const { deployer, guardian, jobMarket, staking, models, timelock } = await deployed();
    const t = await timelock.getAddress();
    type HasRole = { hasRole(role: string, account: string): Promise<boolean> };
    const held: [HasRole, string[]][] = [
      [jobMarket, ["DEFAULT_ADMIN_ROLE", "PARAMS_ROLE", "PAUSER_ROLE"]],
      [staking, ["DEFAULT_ADMIN_ROLE", "PARAMS_ROLE"]],
      [models, ["DEFAULT_ADMIN_ROLE", "MODEL_ADMIN_ROLE"]],
    ];
    for (const [contract, names] of held) {
      for (const name of names) {
        const id = name === "DEFAULT_ADMIN_ROLE" ? zeroHash : role(name);
        expect(await contract.hasRole(id, t), `${name} to the timelock`).to.equal(true);
        expect(await contract.hasRole(id, deployer.address), `${name} left with the deployer`).to.equal(false);
      }
    }
    expect(await jobMarket.hasRole(role("PAUSER_ROLE"), guardian.address)).to.equal(true);
    expect(await timelock.getMinDelay()).to.equal(DELAY);
  });

  it("refuses a parameter change from the deployer, and a proposal from anyone but governance", async () => {
    const { deployer, stranger, jobMarket, timelock } = await deployed();
    await expect(jobMarket.connect(deployer).setFeeBps(100))
      .to.be.revertedWithCustomError(jobMarket, "AccessControlUnauthorizedAccount")
      .withArgs(deployer.address, role("PARAMS_ROLE"));
    const call = jobMarket.interface.encodeFunctionData("setFeeBps", [100]);
    await expect(timelock.connect(stranger).schedule(await jobMarket.getAddress(), 0, call, zeroHash, zeroHash, DELAY))
      .to.be.revertedWithCustomError(timelock, "AccessControlUnauthorizedAccount")
      .withArgs(stranger.address, await timelock.PROPOSER_ROLE());
  });

  it("makes a change governance proposed, executable by anyone only after the delay", async () => {
    const { governance, stranger, jobMarket, timelock, networkHelpers } = await deployed();
    const target = await jobMarket.getAddress();
    const call = jobMarket.interface.encodeFunctionData("setFeeBps", [100]);
    await timelock.connect(governance).schedule(target, 0, call, zeroHash, zeroHash, DELAY);
    await expect(timelock.connect(stranger).execute(target, 0, call, zeroHash, zeroHash)).to.be.revertedWithCustomError(
      timelock,
      "TimelockUnexpectedOperationState",
    );
    await networkHelpers.time.increase(DELAY);
    await expect(timelock.connect(stranger).execute(target, 0, call, zeroHash, zeroHash))
      .to.emit(jobMarket, "FeeSet")
      .withArgs(100);
    expect((await jobMarket.parameters()).feeBps).to.equal(100n);
  });

  it("lets the guardian pause at once, without the delay", async () => {
    const { guardian, jobMarket } = await deployed();
    await expect(jobMarket.connect(guardian).pause()).to.emit(jobMarket, "Paused");
  });
});
