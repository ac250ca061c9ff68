// StakingRegistry: registration, stake, unbonding, offers, governance bounds and the market-only hooks.
import { expect } from "chai";
import { signPermit } from "./helpers/signPermit.ts";
import { network } from "hardhat";
import {
  CAPACITY,
  COLLATERAL,
  DETERMINISM_CLASS,
  deployMarket,
  ENVELOPE,
  jobRequest,
  ONE_OCTO,
  STAKE,
} from "./helpers/deployMarket.ts";

const { ethers, networkHelpers } = await network.create();
const { time } = networkHelpers;

async function fixture() {
  return deployMarket(ethers, { providers: 4 });
}

describe("StakingRegistry", () => {
  it("test_register_failsTwiceOrForInvalidTier", async () => {
    const sys = await networkHelpers.loadFixture(fixture);
    await expect(sys.staking.connect(sys.providers[0]!).register(1, ethers.ZeroHash, ""))
      .to.be.revertedWithCustomError(sys.staking, "StakingAlreadyRegistered")
      .withArgs(sys.providers[0]!.address);
    await expect(sys.staking.connect(sys.outsider).register(3, ethers.ZeroHash, ""))
      .to.be.revertedWithCustomError(sys.staking, "StakingTierInvalid")
      .withArgs(3);
    await expect(sys.staking.connect(sys.outsider).register(0, ethers.id("k"), "ipfs://m"))
      .to.emit(sys.staking, "ProviderRegistered")
      .withArgs(sys.outsider.address, 0, ethers.id("k"), "ipfs://m");
  });

  it("test_profile_settersRequireRegistration", async () => {
    const sys = await networkHelpers.loadFixture(fixture);
    const p = sys.staking.connect(sys.providers[0]!);
    await expect(p.setTier(2)).to.emit(sys.staking, "ProviderTierChanged").withArgs(sys.providers[0]!.address, 1, 2);
    await expect(p.setEncryptionKey(ethers.id("new"))).to.emit(sys.staking, "EncryptionKeyChanged");
    await expect(p.setMetadataURI("ipfs://new")).to.emit(sys.staking, "MetadataURIChanged");
    expect((await sys.staking.getProvider(sys.providers[0]!.address)).encryptionKey).to.equal(ethers.id("new"));
    const o = sys.staking.connect(sys.outsider);
    await expect(o.setTier(1)).to.be.revertedWithCustomError(sys.staking, "StakingNotRegistered");
    await expect(o.setAccepting(true)).to.be.revertedWithCustomError(sys.staking, "StakingNotRegistered");
    await expect(o.stake(1)).to.be.revertedWithCustomError(sys.staking, "StakingNotRegistered");
    await expect(p.stake(0)).to.be.revertedWithCustomError(sys.staking, "StakingAmountZero");
  });

  it("test_stake_topsUp", async () => {
    const sys = await networkHelpers.loadFixture(fixture);
    await expect(sys.staking.connect(sys.providers[0]!).stake(ONE_OCTO))
      .to.emit(sys.staking, "Staked")
      .withArgs(sys.providers[0]!.address, ONE_OCTO, STAKE + ONE_OCTO);
  });

  it("test_stakeWithPermit_stakesWithoutApproval", async () => {
    const sys = await networkHelpers.loadFixture(fixture);
    const w = sys.outsider;
    await sys.octo.transfer(w.address, 1000n * ONE_OCTO);
    await sys.staking.connect(w).register(0, ethers.ZeroHash, "");
    const deadline = (await time.latest()) + 3600;
    const sig = await signPermit({
      token: sys.octo,
      owner: w,
      spender: sys.staking.target as string,
      value: 1000n * ONE_OCTO,
      deadline,
    });
    await sys.staking.connect(w).stakeWithPermit(1000n * ONE_OCTO, deadline, sig.v, sig.r, sig.s);
    expect((await sys.staking.getProvider(w.address)).stake).to.equal(1000n * ONE_OCTO);
  });

  it("test_unbond_withdrawsOnlyAfterDelay", async () => {
    const sys = await networkHelpers.loadFixture(fixture);
    const p = sys.staking.connect(sys.providers[0]!);
    await expect(p.withdraw()).to.be.revertedWithCustomError(sys.staking, "StakingNothingToWithdraw");
    await expect(p.requestUnbond(0)).to.be.revertedWithCustomError(sys.staking, "StakingAmountZero");
    await p.requestUnbond(1000n * ONE_OCTO);
    await expect(p.withdraw()).to.be.revertedWithCustomError(sys.staking, "StakingUnbondNotReady");
    await time.increase(7 * 86_400);
    const before = await sys.octo.balanceOf(sys.providers[0]!.address);
    await expect(p.withdraw())
      .to.emit(sys.staking, "Withdrawn")
      .withArgs(sys.providers[0]!.address, 1000n * ONE_OCTO);
    expect(await sys.octo.balanceOf(sys.providers[0]!.address)).to.equal(before + 1000n * ONE_OCTO);
    expect((await sys.staking.getProvider(sys.providers[0]!.address)).stake).to.equal(STAKE - 1000n * ONE_OCTO);
  });

  it("test_requestUnbond_cannotTakeStakeBackingLiveJob", async () => {
    const sys = await networkHelpers.loadFixture(fixture);
    const now = await time.latest();
    await sys.market.connect(sys.user).createJob(jobRequest(sys, now), ENVELOPE, "", ethers.ZeroHash);
    await sys.market.connect(sys.providers[0]!).claimJob(1);
    await expect(sys.staking.connect(sys.providers[0]!).requestUnbond(STAKE))
      .to.be.revertedWithCustomError(sys.staking, "StakingInsufficientFreeStake")
      .withArgs(sys.providers[0]!.address, STAKE - COLLATERAL, STAKE);
    await sys.staking.connect(sys.providers[0]!).requestUnbond(STAKE - COLLATERAL);
    const p = await sys.staking.getProvider(sys.providers[0]!.address);
    expect(p.stake).to.equal(COLLATERAL);
    expect(p.locked).to.equal(COLLATERAL);
  });

  it("test_offers_setAndRemoveMaintainModelPool", async () => {
    const sys = await networkHelpers.loadFixture(fixture);
    const p = sys.staking.connect(sys.providers[0]!);
    expect(await sys.staking.providersForModel(sys.modelId)).to.include(sys.providers[0]!.address);
    await expect(
      p.setOffer(sys.modelId, sys.usdc.target, 0, 1, CAPACITY, DETERMINISM_CLASS),
    ).to.be.revertedWithCustomError(sys.staking, "StakingOfferPriceZero");
    await p.setOffer(sys.modelId, sys.octo.target, 5, 100, CAPACITY, DETERMINISM_CLASS);
    await p.removeOffer(sys.modelId, sys.usdc.target);
    expect(await sys.staking.providersForModel(sys.modelId)).to.include(sys.providers[0]!.address);
    await p.removeOffer(sys.modelId, sys.octo.target);
    expect(await sys.staking.providersForModel(sys.modelId)).to.not.include(sys.providers[0]!.address);
    await expect(p.removeOffer(sys.modelId, sys.octo.target)).to.be.revertedWithCustomError(
      sys.staking,
      "StakingOfferNotFound",
    );
    expect(await sys.staking.isEligible(sys.providers[0]!.address, sys.modelId, 0)).to.equal(false);
    expect(await sys.staking.isEligible(sys.providers[1]!.address, sys.modelId, 0)).to.equal(true);
  });

  it("test_poolWeight_isTheStakeOfEligibleProvidersOnly", async () => {
    // Four providers of tier 1 with 6,000 staked each weigh in the pools of tiers 0 and 1, not 2.
    const sys = await networkHelpers.loadFixture(fixture);
    expect(await sys.staking.poolWeight(sys.modelId, DETERMINISM_CLASS, 0)).to.equal(4n * STAKE);
    expect(await sys.staking.poolWeight(sys.modelId, DETERMINISM_CLASS, 1)).to.equal(4n * STAKE);
    expect(await sys.staking.poolWeight(sys.modelId, DETERMINISM_CLASS, 2)).to.equal(0n);
    // An unstaked registration with an offer weighs nothing.
    await sys.staking.connect(sys.outsider).register(2, ethers.id("o"), "");
    await sys.staking.connect(sys.outsider).setAccepting(true);
    await sys.staking
      .connect(sys.outsider)
      .setOffer(sys.modelId, sys.usdc.target, 10, 100, CAPACITY, DETERMINISM_CLASS);
    expect(await sys.staking.poolWeight(sys.modelId, DETERMINISM_CLASS, 0)).to.equal(4n * STAKE);
    const [p0, p1, p2] = sys.providers;
    // More stake weighs more; pausing, unbonding or leaving the model weighs nothing.
    await sys.staking.connect(p0!).stake(4_000n * ONE_OCTO);
    expect(await sys.staking.poolWeight(sys.modelId, DETERMINISM_CLASS, 1)).to.equal(4n * STAKE + 4_000n * ONE_OCTO);
    await sys.staking.connect(p1!).setAccepting(false);
    await sys.staking.connect(p2!).requestUnbond(ONE_OCTO);
    expect(await sys.staking.poolWeight(sys.modelId, DETERMINISM_CLASS, 1)).to.equal(2n * STAKE + 4_000n * ONE_OCTO);
    await sys.staking.connect(sys.providers[3]!).removeOffer(sys.modelId, sys.usdc.target);
    expect(await sys.staking.poolWeight(sys.modelId, DETERMINISM_CLASS, 1)).to.equal(STAKE + 4_000n * ONE_OCTO);
    // Only p0 is left: every ticket draws it.
    for (const ticket of [0n, 1n, 10n ** 30n])
      expect(await sys.staking.drawProvider(sys.modelId, DETERMINISM_CLASS, 0, ticket)).to.equal(p0!.address);
  });

  it("test_setOffer_refusesZeroCapacity", async () => {
    const sys = await networkHelpers.loadFixture(fixture);
    await expect(
      sys.staking.connect(sys.providers[0]!).setOffer(sys.modelId, sys.usdc.target, 10, 100, 0, DETERMINISM_CLASS),
    ).to.be.revertedWithCustomError(sys.staking, "StakingOfferCapacityZero");
  });

  it("test_setOffer_emitsCapacityAndClass", async () => {
    const sys = await networkHelpers.loadFixture(fixture);
    const p = sys.providers[0]!;
    await expect(sys.staking.connect(p).setOffer(sys.modelId, sys.usdc.target, 11, 100, 4, DETERMINISM_CLASS))
      .to.emit(sys.staking, "OfferSet")
      .withArgs(p.address, sys.modelId, sys.usdc.target, 11, 100, 4, DETERMINISM_CLASS);
    expect((await sys.staking.getOffer(p.address, sys.modelId, sys.usdc.target)).capacity).to.equal(4n);
  });

  it("test_poolWeight_movesWithTheProvidersClass", async () => {
    const sys = await networkHelpers.loadFixture(fixture);
    const other = ethers.id("vllm, batch-invariant, bf16");
    await sys.staking.connect(sys.providers[0]!).setOffer(sys.modelId, sys.usdc.target, 10, 100, CAPACITY, other);
    // The fixture's four providers: three stay in the common class, one moved.
    expect(await sys.staking.poolWeight(sys.modelId, DETERMINISM_CLASS, 0)).to.equal(3n * STAKE);
    expect(await sys.staking.poolWeight(sys.modelId, other, 0)).to.equal(STAKE);
    expect(await sys.staking.poolSize(sys.modelId, DETERMINISM_CLASS, 1)).to.equal(3n);
    expect(await sys.staking.poolSize(sys.modelId, other, 1)).to.equal(1n);
    for (const ticket of [0n, 7n, 10n ** 30n])
      expect(await sys.staking.drawProvider(sys.modelId, other, 0, ticket)).to.equal(sys.providers[0]!.address);
  });

  it("test_setMinValidators_boundedAndGoverned", async () => {
    const sys = await networkHelpers.loadFixture(fixture);
    expect(await sys.staking.minValidators()).to.equal(2n);
    await expect(sys.staking.setMinValidators(9))
      .to.be.revertedWithCustomError(sys.staking, "StakingMinValidatorsTooHigh")
      .withArgs(9, 8);
    await expect(sys.staking.connect(sys.outsider).setMinValidators(0)).to.be.revertedWithCustomError(
      sys.staking,
      "AccessControlUnauthorizedAccount",
    );
    await expect(sys.staking.setMinValidators(3)).to.emit(sys.staking, "MinValidatorsChanged").withArgs(2, 3);
  });

  it("test_offers_atMostMaxModelsPerProvider", async () => {
    const sys = await networkHelpers.loadFixture(fixture);
    const p = sys.staking.connect(sys.providers[0]!);
    for (let i = 1; i < 8; i++)
      await p.setOffer(ethers.id(`model${i}`), sys.usdc.target, 10, 100, CAPACITY, DETERMINISM_CLASS);
    await expect(p.setOffer(ethers.id("model8"), sys.usdc.target, 10, 100, CAPACITY, DETERMINISM_CLASS))
      .to.be.revertedWithCustomError(sys.staking, "StakingTooManyModels")
      .withArgs(sys.providers[0]!.address, 8);
  });

  it("test_governance_boundsAndRoles", async () => {
    const sys = await networkHelpers.loadFixture(fixture);
    await expect(sys.staking.setUnbondingDelay(61 * 86_400)).to.be.revertedWithCustomError(
      sys.staking,
      "StakingUnbondingDelayTooLong",
    );
    await expect(sys.staking.setTierMinimumStake(3, 1)).to.be.revertedWithCustomError(
      sys.staking,
      "StakingTierInvalid",
    );
    await expect(sys.staking.connect(sys.outsider).setTierMinimumStake(0, 1)).to.be.revertedWithCustomError(
      sys.staking,
      "AccessControlUnauthorizedAccount",
    );
    await expect(sys.staking.setUnbondingDelay(86_400))
      .to.emit(sys.staking, "UnbondingDelayChanged")
      .withArgs(7 * 86_400, 86_400);
    expect(await sys.staking.tierMinimumStake(2)).to.equal(10_000n * ONE_OCTO);
  });

  it("test_marketHooks_onlyMarket", async () => {
    const sys = await networkHelpers.loadFixture(fixture);
    const a = sys.providers[0]!.address;
    await expect(sys.staking.lockForJob(a, 1, sys.modelId, sys.usdc.target, 0, 100, 1)).to.be.revertedWithCustomError(
      sys.staking,
      "StakingCallerNotMarket",
    );
    await expect(sys.staking.recordOutcome(a, 1, 0)).to.be.revertedWithCustomError(
      sys.staking,
      "StakingCallerNotMarket",
    );
  });
});

describe("ModelRegistry", () => {
  const spec = { name: "m", weightsDigest: ethers.id("w"), quantization: "fp16", engine: "vllm" };

  it("test_registerModel_idIsSpecHashAndUnique", async () => {
    const sys = await networkHelpers.loadFixture(fixture);
    const id = ethers.keccak256(
      ethers.AbiCoder.defaultAbiCoder().encode(
        ["string", "bytes32", "string", "string"],
        [spec.name, spec.weightsDigest, spec.quantization, spec.engine],
      ),
    );
    expect(await sys.models.computeModelId(spec)).to.equal(id);
    await expect(sys.models.registerModel(spec, 2)).to.emit(sys.models, "ModelRegistered");
    await expect(sys.models.registerModel(spec, 2))
      .to.be.revertedWithCustomError(sys.models, "ModelAlreadyRegistered")
      .withArgs(id);
    await expect(sys.models.registerModel({ ...spec, name: "x" }, 3)).to.be.revertedWithCustomError(
      sys.models,
      "ModelTierInvalid",
    );
    await expect(
      sys.models.connect(sys.outsider).registerModel({ ...spec, name: "y" }, 0),
    ).to.be.revertedWithCustomError(sys.models, "AccessControlUnauthorizedAccount");
  });

  it("test_setModelStatus_onlyForward", async () => {
    const sys = await networkHelpers.loadFixture(fixture);
    await expect(sys.models.setModelStatus(ethers.id("none"), 2)).to.be.revertedWithCustomError(
      sys.models,
      "ModelUnknown",
    );
    await expect(sys.models.setModelStatus(sys.modelId, 2))
      .to.emit(sys.models, "ModelStatusChanged")
      .withArgs(sys.modelId, 1, 2);
    await expect(sys.models.setModelStatus(sys.modelId, 1))
      .to.be.revertedWithCustomError(sys.models, "ModelStatusTransitionInvalid")
      .withArgs(sys.modelId, 2, 1);
    await sys.models.setModelStatus(sys.modelId, 3);
    expect((await sys.models.getModel(sys.modelId)).status).to.equal(3n);
  });

  it("test_setModelMinTier_bounded", async () => {
    const sys = await networkHelpers.loadFixture(fixture);
    await expect(sys.models.setModelMinTier(sys.modelId, 2))
      .to.emit(sys.models, "ModelMinTierChanged")
      .withArgs(sys.modelId, 1, 2);
    await expect(sys.models.setModelMinTier(sys.modelId, 3)).to.be.revertedWithCustomError(
      sys.models,
      "ModelTierInvalid",
    );
    await expect(sys.models.setModelMinTier(ethers.id("none"), 1)).to.be.revertedWithCustomError(
      sys.models,
      "ModelUnknown",
    );
  });
});

describe("OctoToken", () => {
  it("test_constructor_mintsFixedSupplyWithPermit", async () => {
    const sys = await networkHelpers.loadFixture(fixture);
    expect(await sys.octo.totalSupply()).to.equal(10_000_000n * ONE_OCTO);
    expect(await sys.octo.symbol()).to.equal("OCTO");
    expect(await sys.octo.nonces(sys.admin.address)).to.equal(0n);
    expect(await sys.usdc.decimals()).to.equal(6n);
  });
});
