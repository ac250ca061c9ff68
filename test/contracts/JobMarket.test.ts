// JobMarket transitions and revert paths, with a verifier double (MockResultVerifier) so each rule is tested in
// isolation. Proof soundness on the payment path is tested with real proofs in JobMarket.proofs.test.ts.
import { expect } from "chai";
import { signPermit } from "./helpers/signPermit.ts";
import { network } from "hardhat";
import type {
  BlocklistToken,
  FeeOnTransferToken,
  MockJobConsumer,
  ReentrantToken,
} from "../../types/ethers-contracts/index.ts";
import {
  CAPACITY,
  COLLATERAL,
  DETERMINISM_CLASS,
  deployMarket,
  ENVELOPE,
  fakeResult,
  jobRequest,
  MAX_PRICE,
  MAX_TOKENS,
  ONE_OCTO,
  PRICE,
  REASON,
  STAKE,
  STATUS,
  type System,
} from "./helpers/deployMarket.ts";

const { ethers, networkHelpers } = await network.create();
const { time } = networkHelpers;
const ESCROW = BigInt(MAX_TOKENS) * MAX_PRICE;
/** The dispute bond at the default terms: 10% of the escrow. */
const BOND = ESCROW / 10n;
const ZERO = ethers.ZeroAddress;

async function fixture() {
  return deployMarket(ethers);
}

async function create(sys: System, overrides: Record<string, unknown> = {}) {
  const now = await time.latest();
  const jobId = await sys.market.nextJobId();
  await sys.market.connect(sys.user).createJob(jobRequest(sys, now, overrides), ENVELOPE, "", ethers.ZeroHash);
  return jobId;
}

/** A job that names providers[0]: claimed by its creation. */
async function claimed(sys: System, overrides: Record<string, unknown> = {}) {
  return create(sys, { provider: sys.providers[0]!.address, ...overrides });
}

async function submitted(sys: System, overrides: Record<string, unknown> = {}, tokens = 100) {
  const jobId = await claimed(sys, overrides);
  const { result, proofs } = fakeResult([500], [tokens]);
  await sys.market.connect(sys.providers[0]!).submitResult(jobId, result, proofs);
  return jobId;
}

/** The user reveals the job's input to the drawn committee (one placeholder wrap per member). */
async function revealTo(sys: System, jobId: bigint, committee: readonly string[], from = sys.user) {
  const wraps = committee.map((_, i) => ethers.toBeHex(i + 1));
  return sys.market.connect(from).revealJobSecret(jobId, ethers.id("ephemeral"), wraps);
}

/** The user disputes; one block later anyone draws the committee from that block's hash. */
async function disputeAndDraw(sys: System, jobId: bigint) {
  await sys.market.connect(sys.user).dispute(jobId);
  await networkHelpers.mine(1);
  return sys.market.connect(sys.outsider).drawCommittee(jobId);
}

describe("JobMarket", () => {
  describe("createJob", () => {
    it("test_createJob_escrowsMaxTokensTimesMaxPriceAndEmits", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const before = await sys.usdc.balanceOf(sys.user.address);
      const now = await time.latest();
      await expect(sys.market.connect(sys.user).createJob(jobRequest(sys, now), ENVELOPE, "", ethers.ZeroHash)).to.emit(
        sys.market,
        "JobCreated",
      );
      expect(await sys.usdc.balanceOf(sys.user.address)).to.equal(before - ESCROW);
      const job = await sys.market.getJob(1);
      expect(job.status).to.equal(STATUS.Open);
      expect(job.user).to.equal(sys.user.address);
      expect(job.minTier).to.equal(1n); // raised to the model's minimum
    });

    it("test_createJob_acceptsEnvelopeByURIAndHash", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const now = await time.latest();
      await expect(
        sys.market.connect(sys.user).createJob(jobRequest(sys, now), "0x", "ipfs://x", ethers.id("x")),
      ).to.emit(sys.market, "JobCreated");
      await expect(
        sys.market.connect(sys.user).createJob(jobRequest(sys, now), "0x", "", ethers.ZeroHash),
      ).to.be.revertedWithCustomError(sys.market, "CreateInputMissing");
    });

    it("test_createJob_failsForInvalidParameters", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const now = await time.latest();
      const bad = async (o: Record<string, unknown>, err: string) =>
        expect(
          sys.market.connect(sys.user).createJob(jobRequest(sys, now, o), ENVELOPE, "", ethers.ZeroHash),
        ).to.be.revertedWithCustomError(sys.market, err);
      await bad({ paymentToken: sys.octo.target }, "CreatePaymentTokenNotAllowed");
      await bad({ modelId: ethers.id("nope") }, "CreateModelNotActive");
      await bad({ maxOutputTokens: 0 }, "CreateMaxTokensInvalid");
      await bad({ maxOutputTokens: 1 << 20 }, "CreateMaxTokensInvalid");
      await bad({ maxPricePerToken: 0 }, "CreatePriceZero");
      await bad({ deadline: now }, "CreateDeadlineInvalid");
      await bad({ minTier: 3 }, "CreateTierInvalid");
      await bad({ keyCommitment: 2n ** 254n }, "CreateKeyCommitmentInvalid");
    });

    it("test_createJob_failsForDeprecatedModel", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      await sys.models.setModelStatus(sys.modelId, 2);
      const now = await time.latest();
      await expect(sys.market.connect(sys.user).createJob(jobRequest(sys, now), ENVELOPE, "", ethers.ZeroHash))
        .to.be.revertedWithCustomError(sys.market, "CreateModelNotActive")
        .withArgs(sys.modelId);
    });

    it("test_createJobWithPermit_escrowsWithoutPriorApproval", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const wallet = sys.outsider;
      await sys.usdc.mint(wallet.address, ESCROW);
      const now = await time.latest();
      const deadline = now + 3600;
      const sig = await signPermit({
        token: sys.usdc,
        owner: wallet,
        spender: sys.market.target as string,
        value: ESCROW,
        deadline,
      });
      await sys.market
        .connect(wallet)
        .createJobWithPermit(jobRequest(sys, now), ENVELOPE, "", ethers.ZeroHash, deadline, sig.v, sig.r, sig.s);
      expect(await sys.usdc.balanceOf(wallet.address)).to.equal(0n);
    });
  });

  describe("cancelJob", () => {
    it("test_cancelJob_refundsUser", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await create(sys);
      const before = await sys.usdc.balanceOf(sys.user.address);
      await expect(sys.market.connect(sys.user).cancelJob(jobId))
        .to.emit(sys.market, "JobCancelled")
        .withArgs(jobId, sys.user.address, ESCROW);
      expect(await sys.usdc.balanceOf(sys.user.address)).to.equal(before + ESCROW);
      expect((await sys.market.getJob(jobId)).status).to.equal(STATUS.Cancelled);
    });

    it("test_cancelJob_failsForOthersBeforeDeadline_succeedsAfter", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await create(sys);
      await expect(sys.market.connect(sys.outsider).cancelJob(jobId)).to.be.revertedWithCustomError(
        sys.market,
        "JobNotUser",
      );
      await time.increase(86_401);
      await sys.market.connect(sys.outsider).cancelJob(jobId);
      expect((await sys.market.getJob(jobId)).status).to.equal(STATUS.Cancelled);
    });

    it("test_cancelJob_failsOnceClaimed", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await claimed(sys);
      await expect(sys.market.connect(sys.user).cancelJob(jobId))
        .to.be.revertedWithCustomError(sys.market, "JobNotInStatus")
        .withArgs(jobId, STATUS.Claimed, STATUS.Open);
    });
  });

  describe("claimJob", () => {
    it("test_claimJob_locksCollateralAndTakesOfferPrice", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await create(sys);
      const p = sys.providers[1]!;
      await expect(sys.market.connect(p).claimJob(jobId)).to.emit(sys.market, "JobClaimed");
      const job = await sys.market.getJob(jobId);
      expect(job.status).to.equal(STATUS.Claimed);
      expect(job.provider).to.equal(p.address);
      expect(job.pricePerToken).to.equal(PRICE);
      expect((await sys.staking.getProvider(p.address)).locked).to.equal(COLLATERAL);
    });

    it("test_claimJob_failsForANamedJob_whichNeverOpens", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await create(sys, { provider: sys.providers[0]!.address });
      await expect(sys.market.connect(sys.providers[1]!).claimJob(jobId))
        .to.be.revertedWithCustomError(sys.market, "JobNotInStatus")
        .withArgs(jobId, STATUS.Claimed, STATUS.Open);
    });

    it("test_claimJob_failsForUnderStakedProvider", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await create(sys);
      await sys.staking.setTierMinimumStake(1, STAKE + 1n);
      await expect(sys.market.connect(sys.providers[0]!).claimJob(jobId))
        .to.be.revertedWithCustomError(sys.staking, "StakingProviderIneligible")
        .withArgs(sys.providers[0]!.address, 4);
    });

    it("test_claimJob_failsForPausedProvider", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await create(sys);
      await sys.staking.connect(sys.providers[0]!).setAccepting(false);
      await expect(sys.market.connect(sys.providers[0]!).claimJob(jobId))
        .to.be.revertedWithCustomError(sys.staking, "StakingProviderIneligible")
        .withArgs(sys.providers[0]!.address, 1);
    });

    it("test_claimJob_failsForUnbondingProvider", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await create(sys);
      await sys.staking.connect(sys.providers[0]!).requestUnbond(1n);
      await expect(sys.market.connect(sys.providers[0]!).claimJob(jobId))
        .to.be.revertedWithCustomError(sys.staking, "StakingProviderIneligible")
        .withArgs(sys.providers[0]!.address, 2);
    });

    it("test_claimJob_failsForTierBelowJobMinimum", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await create(sys, { minTier: 2 });
      await expect(sys.market.connect(sys.providers[0]!).claimJob(jobId))
        .to.be.revertedWithCustomError(sys.staking, "StakingProviderIneligible")
        .withArgs(sys.providers[0]!.address, 3);
    });

    it("test_claimJob_failsForUnregisteredOrOfferlessOrTooExpensive", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await create(sys, { maxPricePerToken: PRICE - 1n });
      await expect(sys.market.connect(sys.outsider).claimJob(jobId))
        .to.be.revertedWithCustomError(sys.staking, "StakingProviderIneligible")
        .withArgs(sys.outsider.address, 0);
      await expect(sys.market.connect(sys.providers[0]!).claimJob(jobId)).to.be.revertedWithCustomError(
        sys.staking,
        "StakingOfferTooExpensive",
      );
      await sys.staking.connect(sys.providers[0]!).removeOffer(sys.modelId, sys.usdc.target);
      await expect(sys.market.connect(sys.providers[0]!).claimJob(jobId))
        .to.be.revertedWithCustomError(sys.staking, "StakingProviderIneligible")
        .withArgs(sys.providers[0]!.address, 5);
    });

    it("test_claimJob_failsWithoutFreeStakeForCollateral", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      await sys.market.setCollateral(STAKE);
      const a = await create(sys);
      const b = await create(sys);
      await sys.market.connect(sys.providers[0]!).claimJob(a);
      await expect(sys.market.connect(sys.providers[0]!).claimJob(b)).to.be.revertedWithCustomError(
        sys.staking,
        "StakingInsufficientFreeStake",
      );
    });

    it("test_claimJob_failsAfterDeadlineOrForRetiredModel", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const a = await create(sys);
      const b = await create(sys);
      await sys.models.setModelStatus(sys.modelId, 3);
      await expect(sys.market.connect(sys.providers[0]!).claimJob(a)).to.be.revertedWithCustomError(
        sys.market,
        "ClaimModelRetired",
      );
      await time.increase(86_401);
      await expect(sys.market.connect(sys.providers[0]!).claimJob(b)).to.be.revertedWithCustomError(
        sys.market,
        "JobDeadlinePassed",
      );
    });
  });

  describe("prepaid balances", () => {
    /** The user deposits `amount` of USDC into its balance in the market. */
    async function deposited(sys: System, amount: bigint) {
      await sys.market.connect(sys.user).deposit(sys.usdc.target, amount);
      return amount;
    }
    async function fromBalance(sys: System, overrides: Record<string, unknown> = {}) {
      const now = await time.latest();
      const jobId = await sys.market.nextJobId();
      await sys.market
        .connect(sys.user)
        .createJobFromBalance(jobRequest(sys, now, overrides), ENVELOPE, "", ethers.ZeroHash);
      return jobId;
    }

    it("test_deposit_andWithdraw_neverTouchEscrow", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const live = await create(sys); // escrow transferred in
      const wallet = await sys.usdc.balanceOf(sys.user.address);
      await expect(sys.market.connect(sys.user).deposit(sys.usdc.target, 1_000n))
        .to.emit(sys.market, "Deposited")
        .withArgs(sys.usdc.target, sys.user.address, 1_000n);
      expect(await sys.market.balanceOf(sys.usdc.target, sys.user.address)).to.equal(1_000n);
      await expect(sys.market.connect(sys.user).withdraw(sys.usdc.target, 1_001n))
        .to.be.revertedWithCustomError(sys.market, "BalanceInsufficient")
        .withArgs(sys.usdc.target, sys.user.address, 1_000n, 1_001n);
      await sys.market.connect(sys.user).withdraw(sys.usdc.target, 1_000n);
      expect(await sys.usdc.balanceOf(sys.user.address)).to.equal(wallet);
      expect(await sys.usdc.balanceOf(sys.market.target)).to.equal(ESCROW);
      expect((await sys.market.getJob(live)).status).to.equal(STATUS.Open);
    });

    it("test_deposit_refusesATokenNotAllowed", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      await expect(sys.market.connect(sys.user).deposit(sys.octo.target, 1n))
        .to.be.revertedWithCustomError(sys.market, "BalanceTokenNotAllowed")
        .withArgs(sys.octo.target);
    });

    it("test_depositWithPermit_depositsWithoutApproval", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const wallet = sys.outsider;
      await sys.usdc.mint(wallet.address, 500n);
      const deadline = (await time.latest()) + 3600;
      const sig = await signPermit({
        token: sys.usdc,
        owner: wallet,
        spender: sys.market.target as string,
        value: 500n,
        deadline,
      });
      await sys.market.connect(wallet).depositWithPermit(sys.usdc.target, 500n, deadline, sig.v, sig.r, sig.s);
      expect(await sys.market.balanceOf(sys.usdc.target, wallet.address)).to.equal(500n);
      expect(await sys.usdc.balanceOf(wallet.address)).to.equal(0n);
    });

    it("test_createJobFromBalance_movesEscrowFromTheBalanceIntoTheJob_noTransfer", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      await deposited(sys, ESCROW + 7n);
      const wallet = await sys.usdc.balanceOf(sys.user.address);
      const now = await time.latest();
      await expect(
        sys.market.connect(sys.user).createJobFromBalance(jobRequest(sys, now), ENVELOPE, "", ethers.ZeroHash),
      ).to.emit(sys.market, "JobCreated");
      expect(await sys.market.balanceOf(sys.usdc.target, sys.user.address)).to.equal(7n);
      expect(await sys.market.totalBalance(sys.usdc.target)).to.equal(7n);
      expect(await sys.usdc.balanceOf(sys.user.address)).to.equal(wallet);
      await expect(fromBalance(sys))
        .to.be.revertedWithCustomError(sys.market, "BalanceInsufficient")
        .withArgs(sys.usdc.target, sys.user.address, 7n, ESCROW);
    });

    it("test_createJobFromBalance_refundReturnsToTheBalance", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      await deposited(sys, 2n * ESCROW);
      const cancelled = await fromBalance(sys);
      await sys.market.connect(sys.user).cancelJob(cancelled);
      expect(await sys.market.balanceOf(sys.usdc.target, sys.user.address)).to.equal(2n * ESCROW);
      // Settled: the unused rest returns to the balance, the earnings to the provider's.
      const done = await fromBalance(sys, { provider: sys.providers[0]!.address });
      const { result, proofs } = fakeResult([500], [100]);
      await sys.market.connect(sys.providers[0]!).submitResult(done, result, proofs);
      await time.increase(3600);
      const wallet = await sys.usdc.balanceOf(sys.user.address);
      await sys.market.finalize(done);
      expect(await sys.market.balanceOf(sys.usdc.target, sys.user.address)).to.equal(2n * ESCROW - 1_000n);
      expect(await sys.market.balanceOf(sys.usdc.target, sys.providers[0]!.address)).to.equal(975n);
      expect(await sys.usdc.balanceOf(sys.user.address)).to.equal(wallet);
      expect(await sys.usdc.balanceOf(sys.market.target)).to.equal(2n * ESCROW - 1_000n + 975n + 25n);
    });

    it("test_deposit_refusesAFeeOnTransferToken", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const fot = (await ethers.deployContract("FeeOnTransferToken")) as unknown as FeeOnTransferToken;
      await sys.market.setPaymentToken(fot.target, true);
      await fot.mint(sys.user.address, 10_000n);
      await fot.connect(sys.user).approve(sys.market.target, ethers.MaxUint256);
      await expect(sys.market.connect(sys.user).deposit(fot.target, 10_000n))
        .to.be.revertedWithCustomError(sys.market, "BalanceDepositShortfall")
        .withArgs(9_900n, 10_000n);
    });
  });

  describe("named jobs", () => {
    it("test_createJob_namedJobStartsClaimedAtTheOffersPrice", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const p = sys.providers[0]!;
      const now = await time.latest();
      const tx = sys.market
        .connect(sys.user)
        .createJob(jobRequest(sys, now, { provider: p.address }), ENVELOPE, "", ethers.ZeroHash);
      await expect(tx).to.emit(sys.market, "JobCreated");
      // The key is in the envelope, sealed to the named provider: no key window (keyDeadline 0).
      await expect(tx).to.emit(sys.market, "JobClaimed").withArgs(1n, p.address, PRICE, COLLATERAL, 0);
      const job = await sys.market.getJob(1);
      expect(job.status).to.equal(STATUS.Claimed);
      expect(job.provider).to.equal(p.address);
      expect(job.pricePerToken).to.equal(PRICE);
      const record = await sys.staking.getProvider(p.address);
      expect(record.locked).to.equal(COLLATERAL);
      expect(record.activeJobs).to.equal(1n);
    });

    it("test_createJob_namedProviderPausedUnderStakedOrUnbondingIsRefused", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const [p0, p1, p2] = sys.providers;
      await sys.staking.connect(p0!).setAccepting(false);
      await sys.staking.connect(p1!).requestUnbond(ONE_OCTO);
      await sys.staking.setTierMinimumStake(2, STAKE + 1n);
      await sys.staking.setTierMinimumStake(1, STAKE + 1n);
      const cases: [string, number][] = [
        [p0!.address, 1], // NotAccepting
        [p1!.address, 2], // Unbonding
        [p2!.address, 4], // UnderStaked
      ];
      for (const [provider, reason] of cases) {
        await expect(create(sys, { provider }))
          .to.be.revertedWithCustomError(sys.staking, "StakingProviderIneligible")
          .withArgs(provider, reason);
      }
    });

    it("test_createJob_namedProviderAtCapacityIsRefusedUntilAJobEnds", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const p = sys.providers[0]!;
      await sys.staking.connect(p).setOffer(sys.modelId, sys.usdc.target, PRICE, 8192, 2, DETERMINISM_CLASS);
      const first = await claimed(sys);
      await claimed(sys);
      await expect(claimed(sys))
        .to.be.revertedWithCustomError(sys.staking, "StakingProviderAtCapacity")
        .withArgs(p.address, 2, 2);
      // An open job cannot be claimed past capacity either.
      const open = await create(sys);
      await expect(sys.market.connect(p).claimJob(open))
        .to.be.revertedWithCustomError(sys.staking, "StakingProviderAtCapacity")
        .withArgs(p.address, 2, 2);
      await sys.market.connect(p).releaseJob(first, REASON.OutOfCapacity);
      expect((await sys.staking.getProvider(p.address)).activeJobs).to.equal(1n);
      await claimed(sys);
    });

    it("test_createJob_namedProviderAloneInItsClassIsRefused", async () => {
      // Nobody else runs its class: a dispute could never be decided by re-execution, so it may not take jobs.
      const sys = await networkHelpers.loadFixture(fixture);
      const p = sys.providers[0]!;
      const lonely = ethers.id("a class nobody else runs");
      await sys.staking.connect(p).setOffer(sys.modelId, sys.usdc.target, PRICE, 8192, CAPACITY, lonely);
      await expect(claimed(sys))
        .to.be.revertedWithCustomError(sys.staking, "StakingCommitteeTooThin")
        .withArgs(p.address, lonely, 0, 2);
      // Two others join the class: the committee pool holds two besides it.
      for (const other of sys.providers.slice(1, 3))
        await sys.staking.connect(other).setOffer(sys.modelId, sys.usdc.target, PRICE, 8192, CAPACITY, lonely);
      await claimed(sys);
    });
  });

  describe("key delivery and release", () => {
    it("test_deliverJobKey_onlyUserOnceForUnnamedJob", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await create(sys);
      await sys.market.connect(sys.providers[1]!).claimJob(jobId);
      await expect(
        sys.market.connect(sys.outsider).deliverJobKey(jobId, ethers.id("k"), "0x01"),
      ).to.be.revertedWithCustomError(sys.market, "JobNotUser");
      await expect(sys.market.connect(sys.user).deliverJobKey(jobId, ethers.id("k"), "0x01"))
        .to.emit(sys.market, "JobKeyDelivered")
        .withArgs(jobId, sys.providers[1]!.address, ethers.id("k"), "0x01");
      await expect(
        sys.market.connect(sys.user).deliverJobKey(jobId, ethers.id("k"), "0x01"),
      ).to.be.revertedWithCustomError(sys.market, "JobKeyAlreadyDelivered");
    });

    it("test_releaseJob_inputFaultRefundsUserWithoutSlashing", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await claimed(sys);
      const before = await sys.usdc.balanceOf(sys.user.address);
      await expect(sys.market.connect(sys.providers[0]!).releaseJob(jobId, REASON.InputUndecryptable))
        .to.emit(sys.market, "JobReleased")
        .withArgs(jobId, sys.providers[0]!.address, REASON.InputUndecryptable, ESCROW);
      expect(await sys.usdc.balanceOf(sys.user.address)).to.equal(before + ESCROW);
      const p = await sys.staking.getProvider(sys.providers[0]!.address);
      expect(p.locked).to.equal(0n);
      expect(p.stake).to.equal(STAKE);
      expect(p.released).to.equal(1n);
      expect((await sys.market.getJob(jobId)).status).to.equal(STATUS.Refunded);
    });

    it("test_releaseJob_providerFaultReopensForAnyone", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await create(sys);
      await sys.market.connect(sys.providers[0]!).claimJob(jobId);
      await sys.market.connect(sys.providers[0]!).releaseJob(jobId, REASON.OutOfCapacity);
      const job = await sys.market.getJob(jobId);
      expect(job.status).to.equal(STATUS.Open);
      expect(job.provider).to.equal(ZERO);
      await sys.market.connect(sys.providers[2]!).claimJob(jobId);
      expect((await sys.market.getJob(jobId)).provider).to.equal(sys.providers[2]!.address);
    });

    it("test_releaseJob_failsForNonProviderOrNoReason", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await claimed(sys);
      await expect(sys.market.connect(sys.user).releaseJob(jobId, REASON.OutOfCapacity)).to.be.revertedWithCustomError(
        sys.market,
        "JobNotProvider",
      );
      await expect(sys.market.connect(sys.providers[0]!).releaseJob(jobId, REASON.None)).to.be.revertedWithCustomError(
        sys.market,
        "ReleaseReasonInvalid",
      );
    });

    it("test_releaseJob_keyNotDeliveredOnlyAfterKeyWindow", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await create(sys);
      await sys.market.connect(sys.providers[0]!).claimJob(jobId);
      await expect(
        sys.market.connect(sys.providers[0]!).releaseJob(jobId, REASON.KeyNotDelivered),
      ).to.be.revertedWithCustomError(sys.market, "JobWindowOpen");
      await time.increase(15 * 60);
      await sys.market.connect(sys.providers[0]!).releaseJob(jobId, REASON.KeyNotDelivered);
      expect((await sys.market.getJob(jobId)).status).to.equal(STATUS.Refunded);
    });

    it("test_claimJob_keyWindowEndsByHalfTheTimeLeft", async () => {
      // Whatever the key window, the user has at most half the time left at the claim: the provider keeps the rest.
      const sys = await networkHelpers.loadFixture(fixture);
      const now = await time.latest();
      const jobId = await create(sys, { deadline: now + 600 });
      const tx = await sys.market.connect(sys.providers[0]!).claimJob(jobId);
      const claimedAt = (await ethers.provider.getBlock(tx.blockNumber!))!.timestamp;
      const keyDeadline = claimedAt + Math.floor((now + 600 - claimedAt) / 2);
      await expect(tx)
        .to.emit(sys.market, "JobClaimed")
        .withArgs(jobId, sys.providers[0]!.address, PRICE, COLLATERAL, keyDeadline);
    });

    it("test_deliverJobKey_failsAfterKeyWindow_soALateKeyCannotArmASlash", async () => {
      // The attack: an open job with a short deadline, its key withheld and delivered after the deadline, then
      // timeoutJob to take the collateral of a provider that never had the key in time.
      const sys = await networkHelpers.loadFixture(fixture);
      const now = await time.latest();
      const jobId = await create(sys, { deadline: now + 600 });
      await sys.market.connect(sys.providers[0]!).claimJob(jobId);
      const keyDeadline = (await sys.market.getJob(jobId)).windowEnd;
      await time.increase(601);
      await expect(sys.market.connect(sys.user).deliverJobKey(jobId, ethers.id("k"), "0x01"))
        .to.be.revertedWithCustomError(sys.market, "JobWindowClosed")
        .withArgs(jobId, keyDeadline);
      await sys.market.timeoutJob(jobId);
      expect((await sys.market.getJob(jobId)).status).to.equal(STATUS.Refunded);
      expect((await sys.staking.getProvider(sys.providers[0]!.address)).stake).to.equal(STAKE);
    });

    it("test_releaseJob_keyNotDeliveredExitCannotBeBlockedByALateKey", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await create(sys);
      await sys.market.connect(sys.providers[0]!).claimJob(jobId);
      await time.increase(15 * 60);
      // The user sees the release coming and tries to deliver first: too late, the window is closed.
      await expect(
        sys.market.connect(sys.user).deliverJobKey(jobId, ethers.id("k"), "0x01"),
      ).to.be.revertedWithCustomError(sys.market, "JobWindowClosed");
      await expect(sys.market.connect(sys.providers[0]!).releaseJob(jobId, REASON.KeyNotDelivered))
        .to.emit(sys.market, "JobReleased")
        .withArgs(jobId, sys.providers[0]!.address, REASON.KeyNotDelivered, ESCROW);
    });

    it("test_releaseJob_failsAfterDeadline_soTimeoutStillSlashes", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await claimed(sys);
      await time.increase(86_401);
      const deadline = (await sys.market.getJob(jobId)).deadline;
      await expect(sys.market.connect(sys.providers[0]!).releaseJob(jobId, REASON.InputUndecryptable))
        .to.be.revertedWithCustomError(sys.market, "JobDeadlinePassed")
        .withArgs(jobId, deadline);
      await expect(sys.market.timeoutJob(jobId)).to.emit(sys.market, "JobTimedOut");
    });

    it("test_releaseJob_inputFaultOfOpenJobReopensIt_soLyingKillsNothing", async () => {
      // An input-fault reason cannot be checked on-chain, so it pays the same as a provider fault: the job reopens
      // (the user may cancel it for a full refund) instead of being refunded on the provider's word.
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await create(sys);
      await sys.market.connect(sys.providers[0]!).claimJob(jobId);
      await sys.market.connect(sys.user).deliverJobKey(jobId, ethers.id("k"), "0x01");
      await expect(sys.market.connect(sys.providers[0]!).releaseJob(jobId, REASON.InputUndecryptable))
        .to.emit(sys.market, "JobReleased")
        .withArgs(jobId, sys.providers[0]!.address, REASON.InputUndecryptable, 0n);
      const job = await sys.market.getJob(jobId);
      expect(job.status).to.equal(STATUS.Open);
      expect(job.provider).to.equal(ZERO);
      await sys.market.connect(sys.providers[2]!).claimJob(jobId);
      expect((await sys.market.getJob(jobId)).provider).to.equal(sys.providers[2]!.address);
    });

    it("test_releaseJob_namedJobIsRefundedNotReopenedToOthers", async () => {
      // A named job's envelope is sealed to the named provider: nobody else could run it, so any release refunds.
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await claimed(sys);
      await expect(sys.market.connect(sys.providers[0]!).releaseJob(jobId, REASON.OutOfCapacity))
        .to.emit(sys.market, "JobReleased")
        .withArgs(jobId, sys.providers[0]!.address, REASON.OutOfCapacity, ESCROW);
      expect((await sys.market.getJob(jobId)).status).to.equal(STATUS.Refunded);
      await expect(sys.market.connect(sys.providers[2]!).claimJob(jobId)).to.be.revertedWithCustomError(
        sys.market,
        "JobNotInStatus",
      );
    });
  });

  describe("submitResult (shape checks; proofs in JobMarket.proofs.test.ts)", () => {
    it("test_submitResult_failsForMalformedChunks", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await claimed(sys);
      const p = sys.market.connect(sys.providers[0]!);
      let r = fakeResult([1000, 100], [10, 10]);
      await expect(p.submitResult(jobId, r.result, r.proofs))
        .to.be.revertedWithCustomError(sys.market, "SubmitChunkLengthInvalid")
        .withArgs(jobId, 0, 1000);
      r = fakeResult([1985], [10]);
      await expect(p.submitResult(jobId, r.result, r.proofs)).to.be.revertedWithCustomError(
        sys.market,
        "SubmitChunkLengthInvalid",
      );
      r = fakeResult([10], [11]);
      await expect(p.submitResult(jobId, r.result, r.proofs)).to.be.revertedWithCustomError(
        sys.market,
        "SubmitTokensExceedBytes",
      );
      r = fakeResult([1984, 1984], [200, 200]);
      await expect(p.submitResult(jobId, r.result, r.proofs))
        .to.be.revertedWithCustomError(sys.market, "SubmitTokensExceedMax")
        .withArgs(jobId, 400, MAX_TOKENS);
      r = fakeResult([100], [10]);
      await expect(p.submitResult(jobId, { ...r.result, ciphertext: [1n] }, r.proofs)).to.be.revertedWithCustomError(
        sys.market,
        "SubmitCiphertextLengthInvalid",
      );
      await expect(p.submitResult(jobId, { ...r.result, ciphertext: [] }, r.proofs))
        .to.be.revertedWithCustomError(sys.market, "SubmitCiphertextLengthInvalid")
        .withArgs(jobId, 0, 4);
      await expect(
        p.submitResult(jobId, { ...r.result, ciphertextURI: "ipfs://out", ciphertextHash: ethers.id("c") }, r.proofs),
      ).to.be.revertedWithCustomError(sys.market, "SubmitCiphertextURIUnsupported");
      await expect(p.submitResult(jobId, r.result, [])).to.be.revertedWithCustomError(
        sys.market,
        "SubmitProofCountInvalid",
      );
      await expect(p.submitResult(jobId, { ...r.result, chunks: [] }, [])).to.be.revertedWithCustomError(
        sys.market,
        "SubmitChunkCountInvalid",
      );
    });

    it("test_submitResults_aMalformedResultInABatchNamesItsJob", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const first = await claimed(sys);
      const second = await claimed(sys);
      const good = fakeResult([100], [10]);
      const bad = fakeResult([1000, 100], [10, 10]);
      await expect(
        sys.market
          .connect(sys.providers[0]!)
          .submitResults([first, second], [good.result, bad.result], [...good.proofs, ...bad.proofs]),
      )
        .to.be.revertedWithCustomError(sys.market, "SubmitChunkLengthInvalid")
        .withArgs(second, 0, 1000);
    });

    it("test_submitResults_failsForJobListedTwice", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await claimed(sys);
      const r = fakeResult([100], [10]);
      await expect(
        sys.market
          .connect(sys.providers[0]!)
          .submitResults([jobId, jobId], [r.result, r.result], [...r.proofs, ...r.proofs]),
      )
        .to.be.revertedWithCustomError(sys.market, "JobNotInStatus")
        .withArgs(jobId, STATUS.Submitted, STATUS.Claimed);
    });

    it("test_submitResult_failsWhenProofRejected", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await claimed(sys);
      await sys.verifier.setVerdict(false);
      const r = fakeResult([100], [10]);
      await expect(
        sys.market.connect(sys.providers[0]!).submitResult(jobId, r.result, r.proofs),
      ).to.be.revertedWithCustomError(sys.market, "SubmitProofInvalid");
    });

    it("test_submitResult_refusesCiphertextByURI_soNoCiphertextCanBeWithheld", async () => {
      // With a URI the stated hash was bound to nothing proven: a provider proved an honest output, never published
      // the ciphertext, and was paid, since the fraud proof needs the ciphertext itself.
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await claimed(sys);
      const r = fakeResult([100], [10]);
      await expect(
        sys.market
          .connect(sys.providers[0]!)
          .submitResult(
            jobId,
            { ...r.result, ciphertext: [], ciphertextURI: "ipfs://out", ciphertextHash: ethers.id("c") },
            r.proofs,
          ),
      ).to.be.revertedWithCustomError(sys.market, "SubmitCiphertextURIUnsupported");
    });

    it("test_submitResult_failsAfterDeadline", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await claimed(sys);
      await time.increase(86_401);
      const r = fakeResult([100], [10]);
      await expect(
        sys.market.connect(sys.providers[0]!).submitResult(jobId, r.result, r.proofs),
      ).to.be.revertedWithCustomError(sys.market, "JobDeadlinePassed");
    });
  });

  describe("finalize", () => {
    it("test_finalize_failsBeforeWindow", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await submitted(sys);
      await expect(sys.market.finalize(jobId)).to.be.revertedWithCustomError(sys.market, "JobWindowOpen");
    });

    it("test_finalize_failsTwice", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await submitted(sys);
      await time.increase(3600);
      await sys.market.connect(sys.outsider).finalize(jobId);
      await expect(sys.market.finalize(jobId))
        .to.be.revertedWithCustomError(sys.market, "JobNotInStatus")
        .withArgs(jobId, STATUS.Finalized, STATUS.Submitted);
      // A batch skips a settled job (it settles nothing twice) rather than revert.
      await expect(sys.market.finalizeBatch([jobId])).to.not.emit(sys.market, "JobFinalized");
    });

    it("test_finalize_splitsPaymentFeeAndRefundAndUnlocksCollateral", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await submitted(sys, {}, 100);
      await time.increase(3600);
      const payment = 100n * PRICE;
      const fee = (payment * 250n) / 10_000n;
      await expect(sys.market.finalize(jobId))
        .to.emit(sys.market, "JobFinalized")
        .withArgs(jobId, sys.providers[0]!.address, sys.user.address, 100, payment - fee, fee, ESCROW - payment);
      const p = await sys.staking.getProvider(sys.providers[0]!.address);
      expect(p.locked).to.equal(0n);
      expect(p.completed).to.equal(1n);
      await expect(sys.market.withdrawFees(sys.usdc.target))
        .to.emit(sys.market, "FeesWithdrawn")
        .withArgs(sys.usdc.target, sys.treasury.address, fee);
      expect(await sys.usdc.balanceOf(sys.treasury.address)).to.equal(fee);
    });

    it("test_finalizeBatch_creditsEarningsToTheProvidersBalance_withdrawnInOneTransfer", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const p = sys.providers[0]!;
      const ids = [await submitted(sys), await submitted(sys), await submitted(sys)];
      await time.increase(3600);
      const wallet = await sys.usdc.balanceOf(p.address);
      await sys.market.finalizeBatch(ids);
      const earned = 3n * (100n * PRICE - (100n * PRICE * 250n) / 10_000n);
      expect(await sys.usdc.balanceOf(p.address)).to.equal(wallet);
      expect(await sys.market.balanceOf(sys.usdc.target, p.address)).to.equal(earned);
      await expect(sys.market.connect(p).withdraw(sys.usdc.target, earned))
        .to.emit(sys.market, "Withdrawn")
        .withArgs(sys.usdc.target, p.address, earned);
      expect(await sys.usdc.balanceOf(p.address)).to.equal(wallet + earned);
      expect(await sys.market.balanceOf(sys.usdc.target, p.address)).to.equal(0n);
    });
  });

  describe("finalizeBatch with settled jobs", () => {
    it("test_finalizeBatch_skipsAJobSettledInFrontOfIt", async () => {
      // Anyone could sink a provider's batch by finalizing one of its jobs first; the batch now skips it.
      const sys = await networkHelpers.loadFixture(fixture);
      const ids = [await submitted(sys), await submitted(sys), await submitted(sys)];
      await time.increase(3600);
      await sys.market.connect(sys.outsider).finalize(ids[1]!);
      const before = await sys.market.balanceOf(sys.usdc.target, sys.providers[0]!.address);
      const tx = sys.market.finalizeBatch(ids);
      await expect(tx)
        .to.emit(sys.market, "JobFinalized")
        .withArgs(ids[0]!, sys.providers[0]!.address, sys.user.address, 100, 975n, 25n, ESCROW - 1000n);
      await expect(tx)
        .to.emit(sys.market, "JobFinalized")
        .withArgs(ids[2]!, sys.providers[0]!.address, sys.user.address, 100, 975n, 25n, ESCROW - 1000n);
      expect(await sys.market.balanceOf(sys.usdc.target, sys.providers[0]!.address)).to.equal(before + 2n * 975n);
    });
  });

  describe("blocklisted parties (payments credited when a transfer fails)", () => {
    async function blocklistJob(sys: System) {
      const busd = (await ethers.deployContract("BlocklistToken")) as unknown as BlocklistToken;
      await sys.market.setPaymentToken(busd.target, true);
      await sys.staking
        .connect(sys.providers[0]!)
        .setOffer(sys.modelId, busd.target, PRICE, 8192, CAPACITY, DETERMINISM_CLASS);
      await busd.mint(sys.user.address, 10n ** 12n);
      await busd.connect(sys.user).approve(sys.market.target, ethers.MaxUint256);
      return busd;
    }

    it("test_finalize_aBlockedUserCannotFreezeThePayment_refundCreditedAndWithdrawnLater", async () => {
      // Pushing the refund to a user the issuer blocked made finalize revert forever, freezing the provider's pay.
      const sys = await networkHelpers.loadFixture(fixture);
      const busd = await blocklistJob(sys);
      const jobId = await submitted(sys, { paymentToken: busd.target }, 100);
      await time.increase(3600);
      await busd.setBlocked(sys.user.address, true);
      const refund = ESCROW - 1000n;
      await expect(sys.market.finalize(jobId))
        .to.emit(sys.market, "PaymentCredited")
        .withArgs(busd.target, sys.user.address, refund);
      expect(await sys.market.balanceOf(busd.target, sys.providers[0]!.address)).to.equal(975n);
      expect(await sys.market.balanceOf(busd.target, sys.user.address)).to.equal(refund);
      await expect(sys.market.connect(sys.user).withdraw(busd.target, refund))
        .to.be.revertedWithCustomError(busd, "BlocklistTokenBlocked")
        .withArgs(sys.user.address);
      await busd.setBlocked(sys.user.address, false);
      await expect(sys.market.connect(sys.user).withdraw(busd.target, refund))
        .to.emit(sys.market, "Withdrawn")
        .withArgs(busd.target, sys.user.address, refund);
      expect(await sys.market.balanceOf(busd.target, sys.user.address)).to.equal(0n);
      // The fee and the provider's unwithdrawn earnings, nothing else.
      expect(await busd.balanceOf(sys.market.target)).to.equal(25n + 975n);
    });

    it("test_finalizeBatch_aBlockedProviderCannotFreezeTheBatch_itsEarningsWaitInItsBalance", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const busd = await blocklistJob(sys);
      const ids = [
        await submitted(sys, { paymentToken: busd.target }, 100),
        await submitted(sys, { paymentToken: busd.target }, 100),
      ];
      await time.increase(3600);
      await busd.setBlocked(sys.providers[0]!.address, true);
      await sys.market.finalizeBatch(ids);
      expect((await sys.market.getJob(ids[1]!)).status).to.equal(STATUS.Finalized);
      expect(await sys.market.balanceOf(busd.target, sys.providers[0]!.address)).to.equal(2n * 975n);
      expect(await sys.market.totalBalance(busd.target)).to.equal(2n * 975n);
    });
  });

  describe("fee-on-transfer tokens", () => {
    it("test_createJob_refusesATokenThatDeliversLessThanTheEscrow", async () => {
      // Booking the full escrow for a token that kept 1% made the market owe more than it held.
      const sys = await networkHelpers.loadFixture(fixture);
      const fot = (await ethers.deployContract("FeeOnTransferToken")) as unknown as FeeOnTransferToken;
      await sys.market.setPaymentToken(fot.target, true);
      await fot.mint(sys.user.address, 10n ** 12n);
      await fot.connect(sys.user).approve(sys.market.target, ethers.MaxUint256);
      const now = await time.latest();
      await expect(
        sys.market
          .connect(sys.user)
          .createJob(jobRequest(sys, now, { paymentToken: fot.target }), ENVELOPE, "", ethers.ZeroHash),
      )
        .to.be.revertedWithCustomError(sys.market, "CreateEscrowShortfall")
        .withArgs(ESCROW - ESCROW / 100n, ESCROW);
    });
  });

  describe("timeoutJob", () => {
    it("test_timeoutJob_refundsUserAndSlashesCollateralToUser", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await claimed(sys);
      await expect(sys.market.timeoutJob(jobId)).to.be.revertedWithCustomError(sys.market, "JobDeadlineNotPassed");
      await time.increase(86_401);
      const octoBefore = await sys.octo.balanceOf(sys.user.address);
      await expect(sys.market.connect(sys.outsider).timeoutJob(jobId))
        .to.emit(sys.market, "JobTimedOut")
        .withArgs(jobId, sys.providers[0]!.address, ESCROW, COLLATERAL);
      expect(await sys.octo.balanceOf(sys.user.address)).to.equal(octoBefore + COLLATERAL);
      const p = await sys.staking.getProvider(sys.providers[0]!.address);
      expect(p.stake).to.equal(STAKE - COLLATERAL);
      expect(p.locked).to.equal(0n);
      expect(p.timedOut).to.equal(1n);
    });

    it("test_timeoutJob_withoutKeyDeliveryRefundsWithoutSlashing", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await create(sys);
      await sys.market.connect(sys.providers[0]!).claimJob(jobId);
      await time.increase(86_401);
      await sys.market.timeoutJob(jobId);
      expect((await sys.market.getJob(jobId)).status).to.equal(STATUS.Refunded);
      expect((await sys.staking.getProvider(sys.providers[0]!.address)).stake).to.equal(STAKE);
    });
  });

  describe("disputes", () => {
    it("test_dispute_anyJobsBill_nonVerifiableJobGoesToACommittee", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const plain = await submitted(sys);
      const tx = sys.market.connect(sys.user).dispute(plain);
      // Committed to the hash of the block after the dispute's own.
      await expect(tx)
        .to.emit(sys.market, "DisputeOpened")
        .withArgs(plain, sys.user.address, (await (await tx).wait())!.blockNumber + 1, BOND);
      expect((await sys.market.getJob(plain)).status).to.equal(STATUS.Disputed);
    });

    it("test_dispute_onlyUserWithinWindow", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const v = await submitted(sys, { verifiable: true });
      await expect(sys.market.connect(sys.outsider).dispute(v)).to.be.revertedWithCustomError(sys.market, "JobNotUser");
      await time.increase(3600);
      await expect(sys.market.connect(sys.user).dispute(v)).to.be.revertedWithCustomError(
        sys.market,
        "JobWindowClosed",
      );
    });

    it("test_drawCommittee_drawsOnlyProvidersOfTheAccusedsDeterminismClass", async () => {
      // Providers 1 and 2 run another engine build: they cannot reproduce provider 0's bytes and are never drawn.
      const sys = await networkHelpers.loadFixture(fixture);
      const other = ethers.id("another engine build");
      for (const p of sys.providers.slice(1, 3))
        await sys.staking.connect(p).setOffer(sys.modelId, sys.usdc.target, PRICE, 8192, CAPACITY, other);
      const jobId = await submitted(sys, { verifiable: true });
      await disputeAndDraw(sys, jobId);
      const [committee] = await sys.market.getDispute(jobId);
      // 16 tickets over {p0 (the accused), p3, p4}: at least one of p3, p4, and never p1 or p2.
      expect(committee.length).to.be.greaterThan(0);
      for (const member of committee) expect([sys.providers[3]!.address, sys.providers[4]!.address]).to.include(member);
    });

    it("test_setOffer_classChangeRefusedWhileCollateralIsLocked", async () => {
      // Otherwise a provider could move to an empty class after submitting, and no committee could judge it.
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await submitted(sys, { verifiable: true });
      const p = sys.providers[0]!;
      await expect(sys.staking.connect(p).setOffer(sys.modelId, sys.usdc.target, PRICE, 8192, CAPACITY, ethers.id("x")))
        .to.be.revertedWithCustomError(sys.staking, "StakingClassChangeWhileLocked")
        .withArgs(p.address, sys.modelId, COLLATERAL);
      expect(await sys.staking.classOf(p.address, sys.modelId)).to.equal(DETERMINISM_CLASS);
      await time.increase(3600);
      await sys.market.finalize(jobId);
      await sys.staking.connect(p).setOffer(sys.modelId, sys.usdc.target, PRICE, 8192, CAPACITY, ethers.id("x"));
      expect(await sys.staking.classOf(p.address, sys.modelId)).to.equal(ethers.id("x"));
    });

    it("test_dispute_committeeOfEligibleOthersSlashesOnFaultQuorum", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await submitted(sys, { verifiable: true });
      await expect(disputeAndDraw(sys, jobId)).to.emit(sys.market, "JobDisputed");
      const [committee] = await sys.market.getDispute(jobId);
      expect(committee.length).to.equal(3);
      expect(committee).to.not.include(sys.providers[0]!.address);
      expect(new Set(committee).size).to.equal(3);
      const signer = (a: string) => sys.providers.find((p) => p.address === a)!;
      await expect(sys.market.connect(sys.outsider).voteOnDispute(jobId, true)).to.be.revertedWithCustomError(
        sys.market,
        "DisputeNotCommitteeMember",
      );
      await sys.market.connect(signer(committee[0]!)).voteOnDispute(jobId, true);
      await expect(sys.market.connect(signer(committee[0]!)).voteOnDispute(jobId, true)).to.be.revertedWithCustomError(
        sys.market,
        "DisputeAlreadyVoted",
      );
      const before = await sys.usdc.balanceOf(sys.user.address);
      await expect(sys.market.connect(signer(committee[1]!)).voteOnDispute(jobId, true)).to.emit(
        sys.market,
        "JobSlashed",
      );
      // The escrow and the user's bond come back.
      expect(await sys.usdc.balanceOf(sys.user.address)).to.equal(before + ESCROW + BOND);
      const p = await sys.staking.getProvider(sys.providers[0]!.address);
      expect(p.stake).to.equal(STAKE - COLLATERAL);
      expect(p.disputed).to.equal(1n);
      expect(p.slashed).to.equal(1n);
    });

    it("test_dispute_cleanQuorumPaysProvider", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await submitted(sys, { verifiable: true });
      await disputeAndDraw(sys, jobId);
      const [committee] = await sys.market.getDispute(jobId);
      const signer = (a: string) => sys.providers.find((p) => p.address === a)!;
      await sys.market.connect(signer(committee[0]!)).voteOnDispute(jobId, false);
      await expect(sys.market.connect(signer(committee[2]!)).voteOnDispute(jobId, false)).to.emit(
        sys.market,
        "JobFinalized",
      );
    });

    describe("bonds and paid committees", () => {
      const signer = (sys: System, a: string) => sys.providers.find((p) => p.address === a)!;
      const inMarket = (sys: System, who: string) => sys.market.balanceOf(sys.usdc.target, who);

      it("test_dispute_postsABondByTransfer_heldUntilTheDisputeSettles", async () => {
        const sys = await networkHelpers.loadFixture(fixture);
        const jobId = await submitted(sys, { verifiable: true });
        const before = await sys.usdc.balanceOf(sys.user.address);
        const held = await sys.usdc.balanceOf(sys.market.target);
        await sys.market.connect(sys.user).dispute(jobId);
        expect(before - (await sys.usdc.balanceOf(sys.user.address))).to.equal(BOND);
        expect((await sys.usdc.balanceOf(sys.market.target)) - held).to.equal(BOND);
      });

      it("test_dispute_ofABalancePaidJob_takesTheBondFromTheBalance_orRevertsNamingIt", async () => {
        const sys = await networkHelpers.loadFixture(fixture);
        await sys.market.connect(sys.user).deposit(sys.usdc.target, ESCROW);
        const now = await time.latest();
        const request = jobRequest(sys, now, { provider: sys.providers[0]!.address, verifiable: true });
        const jobId = await sys.market.nextJobId();
        await sys.market.connect(sys.user).createJobFromBalance(request, ENVELOPE, "", ethers.ZeroHash);
        const { result, proofs } = fakeResult([500], [100]);
        await sys.market.connect(sys.providers[0]!).submitResult(jobId, result, proofs);
        await expect(sys.market.connect(sys.user).dispute(jobId))
          .to.be.revertedWithCustomError(sys.market, "BalanceInsufficient")
          .withArgs(sys.usdc.target, sys.user.address, 0n, BOND);
        await sys.market.connect(sys.user).deposit(sys.usdc.target, BOND);
        const wallet = await sys.usdc.balanceOf(sys.user.address);
        await sys.market.connect(sys.user).dispute(jobId);
        expect(await inMarket(sys, sys.user.address)).to.equal(0n);
        expect(await sys.usdc.balanceOf(sys.user.address)).to.equal(wallet);
      });

      it("test_dispute_faultVerdict_returnsTheBond_andPaysTheFaultVotersAShareOfTheCollateral", async () => {
        const sys = await networkHelpers.loadFixture(fixture);
        const jobId = await submitted(sys, { verifiable: true });
        await disputeAndDraw(sys, jobId);
        const [committee] = await sys.market.getDispute(jobId);
        const [a, b] = [signer(sys, committee[0]!), signer(sys, committee[1]!)];
        const octoBefore = await Promise.all([a, b, sys.user].map((x) => sys.octo.balanceOf(x.address)));
        await sys.market.connect(a).voteOnDispute(jobId, true);
        const share = (COLLATERAL * 1_000n) / 10_000n / 2n;
        await expect(sys.market.connect(b).voteOnDispute(jobId, true))
          .to.emit(sys.staking, "SlashShared")
          .withArgs(sys.providers[0]!.address, jobId, a.address, share)
          .and.to.emit(sys.market, "DisputeBondSettled")
          .withArgs(jobId, [], 0n, BOND);
        const octoAfter = await Promise.all([a, b, sys.user].map((x) => sys.octo.balanceOf(x.address)));
        expect(octoAfter.map((v, i) => v - octoBefore[i]!)).to.deep.equal([share, share, COLLATERAL - 2n * share]);
      });

      it("test_dispute_cleanVerdict_paysTheBondToTheCleanVoters", async () => {
        const sys = await networkHelpers.loadFixture(fixture);
        const jobId = await submitted(sys, { verifiable: true });
        await disputeAndDraw(sys, jobId);
        const [committee] = await sys.market.getDispute(jobId);
        const [a, b] = [signer(sys, committee[0]!), signer(sys, committee[1]!)];
        await sys.market.connect(a).voteOnDispute(jobId, false);
        await expect(sys.market.connect(b).voteOnDispute(jobId, false))
          .to.emit(sys.market, "DisputeBondSettled")
          .withArgs(jobId, [a.address, b.address], BOND / 2n, 0n);
        expect(await inMarket(sys, a.address)).to.equal(BOND / 2n);
        expect(await inMarket(sys, b.address)).to.equal(BOND - BOND / 2n);
      });

      it("test_dispute_noQuorum_paysTheVoters_andTheMembersWhoNeverVotedLoseReputation", async () => {
        const sys = await networkHelpers.loadFixture(fixture);
        const jobId = await submitted(sys, { verifiable: true });
        await disputeAndDraw(sys, jobId);
        const [committee] = await sys.market.getDispute(jobId);
        await revealTo(sys, jobId, committee);
        const voter = signer(sys, committee[0]!);
        await sys.market.connect(voter).voteOnDispute(jobId, true);
        await time.increase(86_400);
        const silent = committee.slice(1);
        const tx = sys.market.finalize(jobId);
        await expect(tx).to.emit(sys.market, "DisputeBondSettled").withArgs(jobId, [voter.address], BOND, 0n);
        for (const member of silent)
          await expect(tx).to.emit(sys.staking, "OutcomeRecorded").withArgs(member, jobId, 5 /* VoteMissed */);
        expect(await inMarket(sys, voter.address)).to.equal(BOND);
        expect((await sys.staking.getProvider(voter.address)).missedVotes).to.equal(0n);
        for (const member of silent) expect((await sys.staking.getProvider(member)).missedVotes).to.equal(1n);
      });

      it("test_dispute_noQuorumWithoutAReveal_costsTheSilentMembersNoReputation", async () => {
        // Without the job's input a member has nothing to re-run: its silence is not held against it.
        const sys = await networkHelpers.loadFixture(fixture);
        const jobId = await submitted(sys, { verifiable: true });
        await disputeAndDraw(sys, jobId);
        const [committee] = await sys.market.getDispute(jobId);
        await time.increase(86_400);
        await sys.market.finalize(jobId);
        for (const member of committee) expect((await sys.staking.getProvider(member)).missedVotes).to.equal(0n);
      });

      it("test_dispute_withoutAnyVote_returnsTheBondToTheDisputer", async () => {
        const sys = await networkHelpers.loadFixture(fixture);
        const jobId = await submitted(sys, { verifiable: true });
        await disputeAndDraw(sys, jobId);
        await time.increase(86_400);
        const before = await sys.usdc.balanceOf(sys.user.address);
        await expect(sys.market.finalize(jobId))
          .to.emit(sys.market, "DisputeBondSettled")
          .withArgs(jobId, [], 0n, BOND);
        // The bond and the unused escrow come back to the user (100 tokens billed of MAX_TOKENS).
        const refund = ESCROW - 100n * PRICE;
        expect((await sys.usdc.balanceOf(sys.user.address)) - before).to.equal(BOND + refund);
      });

      it("test_setDisputeTerms_boundedAtHalf_andOnlyByParams", async () => {
        const sys = await networkHelpers.loadFixture(fixture);
        await expect(sys.market.connect(sys.admin).setDisputeTerms(5_001, 0))
          .to.be.revertedWithCustomError(sys.market, "GovernanceDisputeTermsInvalid")
          .withArgs(5_001, 0);
        await expect(sys.market.connect(sys.outsider).setDisputeTerms(0, 0)).to.be.revertedWithCustomError(
          sys.market,
          "AccessControlUnauthorizedAccount",
        );
        await expect(sys.market.connect(sys.admin).setDisputeTerms(2_000, 500))
          .to.emit(sys.market, "DisputeTermsSet")
          .withArgs(2_000, 500);
        expect(await sys.market.disputeTerms()).to.deep.equal([2_000n, 500n]);
      });
    });

    it("test_dispute_noQuorumFinalizesAfterDisputeWindow", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await submitted(sys, { verifiable: true });
      await disputeAndDraw(sys, jobId);
      await expect(sys.market.finalize(jobId)).to.be.revertedWithCustomError(sys.market, "JobWindowOpen");
      await time.increase(86_400);
      await sys.market.finalize(jobId);
      expect((await sys.market.getJob(jobId)).status).to.equal(STATUS.Finalized);
    });

    it("test_revealJobSecret_byUserOrProviderEmitsOneWrapPerMember", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await submitted(sys, { verifiable: true });
      await disputeAndDraw(sys, jobId);
      // One wrap per member drawn: a draw of at most 16 tickets may find fewer than three distinct others.
      const [committee] = await sys.market.getDispute(jobId);
      const wraps = committee.map((_, i) => ethers.toBeHex(i + 1));
      const key = ethers.id("ephemeral");
      await expect(sys.market.connect(sys.user).revealJobSecret(jobId, key, wraps))
        .to.emit(sys.market, "JobSecretRevealed")
        .withArgs(jobId, sys.user.address, key, wraps);
      await expect(sys.market.connect(sys.providers[0]!).revealJobSecret(jobId, key, wraps))
        .to.emit(sys.market, "JobSecretRevealed")
        .withArgs(jobId, sys.providers[0]!.address, key, wraps);
    });

    it("test_revealJobSecret_failsForOutsiderWrongCountNoDisputeOrClosedWindow", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await submitted(sys, { verifiable: true });
      const key = ethers.id("ephemeral");
      await expect(sys.market.connect(sys.user).revealJobSecret(jobId, key, ["0x01", "0x02", "0x03"]))
        .to.be.revertedWithCustomError(sys.market, "JobNotInStatus")
        .withArgs(jobId, STATUS.Submitted, STATUS.Disputed);
      await sys.market.connect(sys.user).dispute(jobId);
      await expect(sys.market.connect(sys.user).revealJobSecret(jobId, key, [])).to.be.revertedWithCustomError(
        sys.market,
        "DisputeNotDrawn",
      );
      await networkHelpers.mine(1);
      await sys.market.drawCommittee(jobId);
      const [committee] = await sys.market.getDispute(jobId);
      const wraps = committee.map((_, i) => ethers.toBeHex(i + 1));
      const member = sys.providers.find((p) => p.address === committee[0])!;
      await expect(sys.market.connect(member).revealJobSecret(jobId, key, wraps))
        .to.be.revertedWithCustomError(sys.market, "DisputeNotParty")
        .withArgs(jobId, member.address);
      await expect(sys.market.connect(sys.user).revealJobSecret(jobId, key, [...wraps, "0x09"]))
        .to.be.revertedWithCustomError(sys.market, "DisputeRevealCountInvalid")
        .withArgs(committee.length + 1, committee.length);
      await time.increase(86_400);
      await expect(sys.market.connect(sys.user).revealJobSecret(jobId, key, wraps)).to.be.revertedWithCustomError(
        sys.market,
        "JobWindowClosed",
      );
    });

    it("test_drawCommittee_belowQuorumSettlesForProviderAtOnce", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await submitted(sys, { verifiable: true });
      for (const p of sys.providers.slice(2)) await sys.staking.connect(p).setAccepting(false);
      const tx = await disputeAndDraw(sys, jobId);
      const now = (await ethers.provider.getBlock(tx.blockNumber!))!.timestamp;
      await expect(tx)
        .to.emit(sys.market, "JobDisputed")
        .withArgs(jobId, sys.user.address, [sys.providers[1]!.address], now);
      await expect(sys.market.finalize(jobId)).to.emit(sys.market, "JobFinalized");
    });

    it("test_dispute_committeeIsUnknowableInTheDisputingTransaction", async () => {
      // The grinding attack read the committee inside its own dispute and reverted until friends were drawn. Now the
      // dispute only commits to the next block's hash: nothing about the committee exists when it returns.
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await submitted(sys, { verifiable: true });
      const tx = await sys.market.connect(sys.user).dispute(jobId);
      await expect(tx)
        .to.emit(sys.market, "DisputeOpened")
        .withArgs(jobId, sys.user.address, tx.blockNumber! + 1, BOND);
      await expect(tx).to.not.emit(sys.market, "JobDisputed");
      const [committee] = await sys.market.getDispute(jobId);
      expect(committee.length).to.equal(0);
      await expect(sys.market.drawCommittee(jobId))
        .to.be.revertedWithCustomError(sys.market, "DisputeDrawOutsideWindow")
        .withArgs(jobId, tx.blockNumber! + 1, tx.blockNumber! + 1);
      await networkHelpers.mine(1);
      await expect(sys.market.connect(sys.outsider).drawCommittee(jobId)).to.emit(sys.market, "JobDisputed");
      await expect(sys.market.drawCommittee(jobId))
        .to.be.revertedWithCustomError(sys.market, "DisputeAlreadyDrawn")
        .withArgs(jobId);
    });

    it("test_drawCommittee_lapsesAfter256BlocksAndSettlesForProvider", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await submitted(sys, { verifiable: true });
      const tx = await sys.market.connect(sys.user).dispute(jobId);
      const drawBlock = tx.blockNumber! + 1;
      await expect(sys.market.finalize(jobId))
        .to.be.revertedWithCustomError(sys.market, "DisputeDrawPending")
        .withArgs(jobId, drawBlock + 256);
      await networkHelpers.mine(257);
      await expect(sys.market.drawCommittee(jobId)).to.be.revertedWithCustomError(
        sys.market,
        "DisputeDrawOutsideWindow",
      );
      await expect(sys.market.finalize(jobId)).to.emit(sys.market, "JobFinalized");
    });

    it("test_dispute_unstakedSybilsNeitherDenyTheCommitteeNorRaiseItsGas", async () => {
      // 200 registrations with an offer and no stake used to fill the pool the draw read: the draw found no one and
      // the dispute reverted. They weigh nothing in the stake-weighted pool and are never drawn.
      const sys = await networkHelpers.loadFixture(fixture);
      const first = await submitted(sys, { verifiable: true });
      await sys.market.connect(sys.user).dispute(first);
      await networkHelpers.mine(1);
      const gasBefore = (await (await sys.market.drawCommittee(first)).wait())!.gasUsed;
      for (let i = 0; i < 200; i++) {
        const sybil = ethers.Wallet.createRandom().connect(ethers.provider);
        await networkHelpers.setBalance(sybil.address, 10n ** 18n);
        await sys.staking.connect(sybil).register(2, ethers.id(`sybil${i}`), "");
        await sys.staking.connect(sybil).setAccepting(true);
        await sys.staking
          .connect(sybil)
          .setOffer(sys.modelId, sys.usdc.target, PRICE, 8192, CAPACITY, DETERMINISM_CLASS);
      }
      const jobId = await submitted(sys, { verifiable: true });
      await sys.market.connect(sys.user).dispute(jobId);
      await networkHelpers.mine(1);
      const receipt = (await (await sys.market.drawCommittee(jobId)).wait())!;
      const [committee] = await sys.market.getDispute(jobId);
      expect(committee.length).to.equal(3);
      for (const m of committee) expect(sys.providers.map((p) => p.address)).to.include(m);
      // Same pool (the staked five), same tree: the gas differs only by which tickets hit whom, not by the sybils.
      expect(Number(receipt.gasUsed)).to.be.closeTo(Number(gasBefore), 40_000);
    });
  });

  describe("sampling", () => {
    /** A verifiable job submitted with every result sampleable; returns its id and the coin's block. */
    async function sampleable(sys: System) {
      await sys.market.setSampleBps(10_000);
      const jobId = await submitted(sys, { verifiable: true });
      const [log] = await sys.market.queryFilter(sys.market.filters.SampleCoinCommitted(jobId));
      return { jobId, coinBlock: log!.args.coinBlock };
    }

    /** Sampled: the coin read, the committee drawn one block later. */
    async function sampledAndDrawn(sys: System) {
      const { jobId } = await sampleable(sys);
      await networkHelpers.mine(1);
      await sys.market.readSampleCoin(jobId);
      await networkHelpers.mine(1);
      await sys.market.drawCommittee(jobId);
      const [committee] = await sys.market.getDispute(jobId);
      return { jobId, committee };
    }

    it("test_submitResult_commitsTheCoinToTheNextBlock_unknownToTheSubmitter", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      await sys.market.setSampleBps(10_000);
      const jobId = await claimed(sys, { verifiable: true });
      const { result, proofs } = fakeResult([500], [100]);
      const tx = await sys.market.connect(sys.providers[0]!).submitResult(jobId, result, proofs);
      const mined = (await tx.wait())!.blockNumber;
      await expect(tx)
        .to.emit(sys.market, "SampleCoinCommitted")
        .withArgs(jobId, mined + 1);
      expect((await sys.market.getJob(jobId)).status).to.equal(STATUS.Submitted);
    });

    it("test_submitResult_commitsNoCoin_whenSamplingIsOffOrTheJobUnverifiable", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const off = await claimed(sys, { verifiable: true });
      const r = fakeResult([500], [100]);
      await expect(sys.market.connect(sys.providers[0]!).submitResult(off, r.result, r.proofs)).not.to.emit(
        sys.market,
        "SampleCoinCommitted",
      );
      await sys.market.setSampleBps(10_000);
      const plain = await claimed(sys);
      await expect(sys.market.connect(sys.providers[0]!).submitResult(plain, r.result, r.proofs)).not.to.emit(
        sys.market,
        "SampleCoinCommitted",
      );
      await expect(sys.market.readSampleCoin(plain))
        .to.be.revertedWithCustomError(sys.market, "SampleCoinNotPending")
        .withArgs(plain);
    });

    it("test_readSampleCoin_beforeItsBlockIsMined_reverts", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      // Automine: the read's own block is the coin's block, whose hash it cannot know.
      const { jobId, coinBlock } = await sampleable(sys);
      await expect(sys.market.readSampleCoin(jobId))
        .to.be.revertedWithCustomError(sys.market, "SampleCoinNotMined")
        .withArgs(jobId, coinBlock);
    });

    it("test_readSampleCoin_atFullRate_opensADisputeWithoutDisputerOrBond", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const { jobId, coinBlock } = await sampleable(sys);
      await networkHelpers.mine(1);
      const tx = sys.market.connect(sys.outsider).readSampleCoin(jobId);
      await expect(tx).to.emit(sys.market, "SampleCoinRead").withArgs(jobId, coinBlock, true, false);
      await expect(tx).to.emit(sys.market, "DisputeOpened");
      const [log] = await sys.market.queryFilter(sys.market.filters.DisputeOpened(jobId));
      expect([log!.args.disputer, log!.args.bond]).to.deep.equal([ZERO, 0n]);
      expect((await sys.market.getJob(jobId)).status).to.equal(STATUS.Disputed);
      await expect(sys.market.readSampleCoin(jobId))
        .to.be.revertedWithCustomError(sys.market, "JobNotInStatus")
        .withArgs(jobId, STATUS.Disputed, STATUS.Submitted);
    });

    it("test_readSampleCoin_atARateBelowTheCoin_leavesTheJobToFinalize", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const { jobId, coinBlock } = await sampleable(sys);
      await networkHelpers.mine(1);
      await sys.market.setSampleBps(0); // the rate in force when the coin is read decides
      await expect(sys.market.readSampleCoin(jobId))
        .to.emit(sys.market, "SampleCoinRead")
        .withArgs(jobId, coinBlock, false, false);
      await expect(sys.market.readSampleCoin(jobId))
        .to.be.revertedWithCustomError(sys.market, "SampleCoinNotPending")
        .withArgs(jobId);
      await time.increase(3600);
      await expect(sys.market.finalize(jobId)).to.emit(sys.market, "JobFinalized");
    });

    it("test_readSampleCoin_decidesByTheCoinBlocksHash_atTheRate", async () => {
      // At 50% the outcome is the coin block's hash, which the test reads back: not fixed by the submitter.
      const sys = await networkHelpers.loadFixture(fixture);
      await sys.market.setSampleBps(5_000);
      let seen = { sampled: 0, unsampled: 0 };
      for (let i = 0; i < 8; i++) {
        const jobId = await submitted(sys, { verifiable: true });
        const [log] = await sys.market.queryFilter(sys.market.filters.SampleCoinCommitted(jobId));
        await networkHelpers.mine(1);
        const hash = (await ethers.provider.getBlock(Number(log!.args.coinBlock)))!.hash!;
        const coin = BigInt(
          ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["bytes32", "uint256"], [hash, jobId])),
        );
        const expected = coin % 10_000n < 5_000n;
        await expect(sys.market.readSampleCoin(jobId))
          .to.emit(sys.market, "SampleCoinRead")
          .withArgs(jobId, log!.args.coinBlock, expected, false);
        seen = expected ? { ...seen, sampled: seen.sampled + 1 } : { ...seen, unsampled: seen.unsampled + 1 };
      }
      expect(seen.sampled + seen.unsampled).to.equal(8);
    });

    it("test_readSampleCoin_after256Blocks_lapsesToSampled", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const { jobId, coinBlock } = await sampleable(sys);
      await sys.market.setSampleBps(1); // even at 0.01%: a provider gains nothing by leaving its coin unread
      await networkHelpers.mine(257);
      await expect(sys.market.readSampleCoin(jobId))
        .to.emit(sys.market, "SampleCoinRead")
        .withArgs(jobId, coinBlock, true, true);
      expect((await sys.market.getJob(jobId)).status).to.equal(STATUS.Disputed);
    });

    it("test_finalize_whileTheCoinIsUnread_reverts", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const { jobId, coinBlock } = await sampleable(sys);
      await time.increase(86_400);
      await expect(sys.market.finalize(jobId))
        .to.be.revertedWithCustomError(sys.market, "SampleCoinPending")
        .withArgs(jobId, coinBlock);
      await expect(sys.market.finalizeBatch([jobId]))
        .to.be.revertedWithCustomError(sys.market, "SampleCoinPending")
        .withArgs(jobId, coinBlock);
    });

    it("test_dispute_whileTheCoinIsUnread_supersedesTheSample", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const { jobId } = await sampleable(sys);
      await sys.market.connect(sys.user).dispute(jobId);
      const [log] = await sys.market.queryFilter(sys.market.filters.DisputeOpened(jobId));
      expect([log!.args.disputer, log!.args.bond]).to.deep.equal([sys.user.address, BOND]);
      await expect(sys.market.readSampleCoin(jobId))
        .to.be.revertedWithCustomError(sys.market, "JobNotInStatus")
        .withArgs(jobId, STATUS.Disputed, STATUS.Submitted);
    });

    it("test_sample_revealedAndVotedClean_paysTheProvider", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const { jobId, committee } = await sampledAndDrawn(sys);
      await revealTo(sys, jobId, committee, sys.providers[0]!);
      const [a, b] = committee.map((m) => sys.providers.find((p) => p.address === m)!);
      await sys.market.connect(a!).voteOnDispute(jobId, false);
      await expect(sys.market.connect(b!).voteOnDispute(jobId, false)).to.emit(sys.market, "JobFinalized");
      const receipt = await sys.market.getReceipt(jobId);
      const paid = 100n * PRICE;
      expect(receipt.providerAmount + receipt.feeAmount).to.equal(paid);
      expect(receipt.refundAmount).to.equal(ESCROW - paid);
    });

    it("test_sample_neverRevealed_paysTheProviderNothing_andRefundsTheUserInFull", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const { jobId, committee } = await sampledAndDrawn(sys);
      expect(committee.length).to.be.at.least(2);
      await time.increase(86_400);
      const before = await sys.usdc.balanceOf(sys.user.address);
      const provider = sys.providers[0]!.address;
      const tx = sys.market.finalize(jobId);
      await expect(tx)
        .to.emit(sys.market, "JobFinalized")
        .withArgs(jobId, provider, sys.user.address, 100n, 0n, 0n, ESCROW);
      await expect(tx).to.emit(sys.staking, "OutcomeRecorded").withArgs(provider, jobId, 1 /* TimedOut */);
      expect((await sys.usdc.balanceOf(sys.user.address)) - before).to.equal(ESCROW);
      expect(await sys.market.balanceOf(sys.usdc.target, provider)).to.equal(0n);
      const receipt = await sys.market.getReceipt(jobId);
      expect([receipt.providerAmount, receipt.feeAmount, receipt.refundAmount]).to.deep.equal([0n, 0n, ESCROW]);
    });

    it("test_sample_neverDrawn_lapsesUnpaid", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const { jobId } = await sampleable(sys);
      await networkHelpers.mine(1);
      await sys.market.readSampleCoin(jobId);
      await networkHelpers.mine(258);
      await expect(sys.market.finalize(jobId))
        .to.emit(sys.market, "JobFinalized")
        .withArgs(jobId, sys.providers[0]!.address, sys.user.address, 100n, 0n, 0n, ESCROW);
    });

    it("test_sample_belowQuorum_paysTheProvider", async () => {
      // Fewer than a quorum could be drawn: nobody could have judged it, which is not the provider's doing.
      const sys = await networkHelpers.loadFixture(fixture);
      const { jobId } = await sampleable(sys);
      for (const p of sys.providers.slice(2)) await sys.staking.connect(p).setAccepting(false);
      await networkHelpers.mine(1);
      await sys.market.readSampleCoin(jobId);
      await networkHelpers.mine(1);
      await sys.market.drawCommittee(jobId);
      await sys.market.finalize(jobId);
      const receipt = await sys.market.getReceipt(jobId);
      expect(receipt.providerAmount + receipt.feeAmount).to.equal(100n * PRICE);
      expect(receipt.refundAmount).to.equal(ESCROW - 100n * PRICE);
    });
  });

  describe("pause", () => {
    it("test_pause_stopsCreateAndClaimButNotRefundsOrFinalize", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const open = await create(sys);
      const done = await submitted(sys);
      const live = await claimed(sys);
      await sys.market.pause();
      const now = await time.latest();
      await expect(
        sys.market.connect(sys.user).createJob(jobRequest(sys, now), ENVELOPE, "", ethers.ZeroHash),
      ).to.be.revertedWithCustomError(sys.market, "EnforcedPause");
      await expect(sys.market.connect(sys.providers[1]!).claimJob(open)).to.be.revertedWithCustomError(
        sys.market,
        "EnforcedPause",
      );
      await sys.market.connect(sys.user).cancelJob(open);
      const r = fakeResult([100], [10]);
      await sys.market.connect(sys.providers[0]!).submitResult(live, r.result, r.proofs);
      await time.increase(3600);
      await sys.market.finalize(done);
      await sys.market.withdrawFees(sys.usdc.target);
      await expect(sys.market.connect(sys.outsider).pause()).to.be.revertedWithCustomError(
        sys.market,
        "AccessControlUnauthorizedAccount",
      );
    });
  });

  describe("governance", () => {
    it("test_governance_parametersAreBounded", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      await expect(sys.market.setFeeBps(1001))
        .to.be.revertedWithCustomError(sys.market, "GovernanceFeeTooHigh")
        .withArgs(1001, 1000);
      await expect(sys.market.setWindows(60, 3600, 3600)).to.be.revertedWithCustomError(
        sys.market,
        "GovernanceWindowInvalid",
      );
      await expect(sys.market.setCollateral(10n ** 24n + 1n)).to.be.revertedWithCustomError(
        sys.market,
        "GovernanceCollateralTooHigh",
      );
      await expect(sys.market.setSampleBps(10_001)).to.be.revertedWithCustomError(
        sys.market,
        "GovernanceSampleRateTooHigh",
      );
      // Collateral 0 would make every slash free; a tier minimum of 0 would let unstaked accounts claim and judge.
      await expect(sys.market.setCollateral(0))
        .to.be.revertedWithCustomError(sys.market, "GovernanceCollateralTooLow")
        .withArgs(0, 10n ** 18n);
      await expect(sys.staking.setTierMinimumStake(0, 0))
        .to.be.revertedWithCustomError(sys.staking, "StakingTierMinimumInvalid")
        .withArgs(0, 0);
      await expect(sys.staking.setTierMinimumStake(0, 10n ** 30n)).to.be.revertedWithCustomError(
        sys.staking,
        "StakingTierMinimumInvalid",
      );
      // Tiers stay ordered: tier 1 cannot ask more than tier 2 (10,000) nor less than tier 0 (1,000).
      await expect(sys.staking.setTierMinimumStake(1, 10_001n * 10n ** 18n)).to.be.revertedWithCustomError(
        sys.staking,
        "StakingTierMinimumInvalid",
      );
      await expect(sys.staking.setTierMinimumStake(1, 999n * 10n ** 18n)).to.be.revertedWithCustomError(
        sys.staking,
        "StakingTierMinimumInvalid",
      );
      await expect(sys.market.setTreasury(ZERO)).to.be.revertedWithCustomError(sys.market, "GovernanceZeroAddress");
      await expect(sys.market.connect(sys.outsider).setFeeBps(1)).to.be.revertedWithCustomError(
        sys.market,
        "AccessControlUnauthorizedAccount",
      );
    });

    it("test_governance_cannotTakeEscrowOrStake", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await claimed(sys);
      await create(sys);
      const escrowBefore = await sys.usdc.balanceOf(sys.market.target);
      const stakeBefore = await sys.octo.balanceOf(sys.staking.target);
      // Everything governance can do, at its most hostile.
      await sys.market.setFeeBps(1000);
      await sys.market.setTreasury(sys.admin.address);
      await sys.market.setCollateral(10n ** 24n);
      await sys.market.setWindows(600, 600, 600);
      await sys.market.setSampleBps(10_000);
      await sys.market.setPaymentToken(sys.usdc.target, false);
      await sys.market.pause();
      await sys.market.withdrawFees(sys.usdc.target);
      await sys.staking.setTierMinimumStake(1, 10_000n * 10n ** 18n); // as high as the bounds allow (tier 2's)
      await sys.staking.setUnbondingDelay(60 * 24 * 3600);
      await expect(sys.staking.bindJobMarket(sys.admin.address)).to.be.revertedWithCustomError(
        sys.staking,
        "StakingMarketAlreadyBound",
      );
      await expect(
        sys.staking.slash(sys.providers[0]!.address, jobId, COLLATERAL, COLLATERAL, sys.admin.address, 3),
      ).to.be.revertedWithCustomError(sys.staking, "StakingCallerNotMarket");
      await expect(sys.staking.unlock(sys.providers[0]!.address, jobId, COLLATERAL, 0)).to.be.revertedWithCustomError(
        sys.staking,
        "StakingCallerNotMarket",
      );
      expect(await sys.usdc.balanceOf(sys.market.target)).to.equal(escrowBefore);
      expect(await sys.octo.balanceOf(sys.staking.target)).to.equal(stakeBefore);
      // The live job still settles on its snapshotted terms in the now-disallowed token.
      const r = fakeResult([100], [10]);
      await sys.market.connect(sys.providers[0]!).submitResult(jobId, r.result, r.proofs);
      await time.increase(600);
      await sys.market.finalize(jobId);
      const receipt = await sys.market.getReceipt(jobId);
      expect(receipt.feeAmount).to.equal((10n * PRICE * 250n) / 10_000n);
    });
  });

  describe("consumers", () => {
    async function consumerJob(sys: System, behaviour: number) {
      const consumer = (await ethers.deployContract("MockJobConsumer", [
        sys.market.target,
      ])) as unknown as MockJobConsumer;
      await consumer.setBehaviour(behaviour);
      await sys.usdc.mint(consumer.target, ESCROW);
      const now = await time.latest();
      const jobId = await sys.market.nextJobId();
      await consumer.createJob(jobRequest(sys, now, { callback: true, provider: sys.providers[0]!.address }), ENVELOPE);
      const r = fakeResult([300], [50]);
      await sys.market.connect(sys.providers[0]!).submitResult(jobId, r.result, r.proofs);
      await time.increase(3600);
      return { consumer, jobId };
    }

    it("test_consumer_receivesReceiptOnFinalize", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const { consumer, jobId } = await consumerJob(sys, 0);
      await expect(sys.market.finalize(jobId))
        .to.emit(sys.market, "ConsumerNotified")
        .withArgs(jobId, consumer.target, true);
      expect(await consumer.lastJobId()).to.equal(jobId);
      expect(await consumer.lastStatus()).to.equal(STATUS.Finalized);
      expect(await consumer.lastProviderAmount()).to.equal(50n * PRICE - (50n * PRICE * 250n) / 10_000n);
    });

    for (const [name, behaviour] of [
      ["Reverts", 1],
      ["BurnsAllGas", 2],
      ["ReturnsHugeData", 4],
    ] as const) {
      it(`test_consumer_callbackThat${name}NeverBlocksPayment`, async () => {
        const sys = await networkHelpers.loadFixture(fixture);
        const { consumer, jobId } = await consumerJob(sys, behaviour);
        const before = await sys.market.balanceOf(sys.usdc.target, sys.providers[0]!.address);
        await expect(sys.market.finalize(jobId, { gasLimit: 1_000_000 }))
          .to.emit(sys.market, "ConsumerNotified")
          .withArgs(jobId, consumer.target, behaviour === 4);
        expect(await sys.market.balanceOf(sys.usdc.target, sys.providers[0]!.address)).to.be.greaterThan(before);
        expect((await sys.market.getJob(jobId)).status).to.equal(STATUS.Finalized);
      });
    }

    it("test_consumer_cannotReenterFromCallback", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const { consumer, jobId } = await consumerJob(sys, 3);
      await sys.market.finalize(jobId);
      expect(await consumer.reentrySucceeded()).to.equal(false);
      expect((await sys.market.getJob(jobId)).status).to.equal(STATUS.Finalized);
    });

    it("test_consumer_finalizerCannotStarveCallback", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const { jobId } = await consumerJob(sys, 0);
      // Just less than finalizing needs (with the callback's reserved gas): enough to reach the callback, not to give
      // it its cap.
      const needed = await sys.market.finalize.estimateGas(jobId);
      await expect(sys.market.finalize(jobId, { gasLimit: needed - 10_000n })).to.be.revertedWithCustomError(
        sys.market,
        "BoundedCallGasInsufficient",
      );
    });
  });

  describe("reentrancy through a token", () => {
    it("test_reentrantToken_cannotReenterOnRefund", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const token = (await ethers.deployContract("ReentrantToken")) as unknown as ReentrantToken;
      await sys.market.setPaymentToken(token.target, true);
      await sys.staking
        .connect(sys.providers[0]!)
        .setOffer(sys.modelId, token.target, PRICE, 8192, CAPACITY, DETERMINISM_CLASS);
      await token.mint(sys.user.address, ESCROW * 2n);
      await token.connect(sys.user).approve(sys.market.target, ethers.MaxUint256);
      const a = await create(sys, { paymentToken: token.target });
      const b = await create(sys, { paymentToken: token.target });
      // On a's refund the token tries to cancel b as well (and to cancel a again).
      await token.arm(sys.market.target, sys.market.interface.encodeFunctionData("cancelJob", [a]));
      await sys.market.connect(sys.user).cancelJob(a);
      expect(await token.reentered()).to.equal(true);
      expect(await token.reentrySucceeded()).to.equal(false);
      expect((await sys.market.getJob(b)).status).to.equal(STATUS.Open);
      expect(await token.balanceOf(sys.market.target)).to.equal(ESCROW);
    });
  });

  describe("receipts", () => {
    it("test_getReceipt_reportsRefundForTerminalRefunds", async () => {
      const sys = await networkHelpers.loadFixture(fixture);
      const jobId = await create(sys);
      await sys.market.connect(sys.user).cancelJob(jobId);
      const r = await sys.market.getReceipt(jobId);
      expect(r.refundAmount).to.equal(ESCROW);
      expect(r.paymentToken).to.equal(sys.usdc.target);
      await expect(sys.market.finalize(999)).to.be.revertedWithCustomError(sys.market, "JobNotInStatus");
      await expect(sys.market.claimJob(999)).to.be.revertedWithCustomError(sys.market, "JobUnknown").withArgs(999);
    });
  });
});
