// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IJobMarket} from "../../../contracts/interfaces/IJobMarket.sol";
import {IStakingRegistry} from "../../../contracts/interfaces/IStakingRegistry.sol";
import {MarketHandler} from "./MarketHandler.sol";

/// @notice Invariants of the market and the staking registry across random sequences of create / claim / deliver
///         key / release / submit / sample coin / dispute / reveal / vote / fraud proof / finalize (single and batch) / cancel / timeout /
///         stake / unbond / withdraw / warp, driven through MarketHandler. Runs × depth is reported by the runner.
/// hardhat-config: invariant.depth = 25
contract JobMarketInvariantTest {
    MarketHandler internal handler;

    function setUp() public {
        handler = new MarketHandler();
    }

    /// @notice The fuzzer calls only the handler.
    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @notice A fixed pseudo-random walk through the handler reaches payment (Finalized) and refund (Cancelled) endings, so the fuzz space the
    ///         invariants are checked over is not mostly reverts. (Slashing by fraud proof costs millions of gas of
    ///         Poseidon, too heavy for one test transaction here: the fuzzer reaches it, JobMarket.proofs.test.ts
    ///         tests it with real proofs.)
    function test_handler_reachesEveryTerminalState() public {
        for (uint256 i; i < 200; ++i) {
            uint256 r = uint256(keccak256(abi.encode(i)));
            uint256 action = r % 20;
            uint256 a = r >> 16;
            uint256 b = r >> 48;
            if (action < 3) handler.create(a, b, a >> 8, a % 3 == 0, a % 2 == 0, b, b % 2 == 0);
            else if (action < 5) handler.claim(a, b);
            else if (action < 11) handler.submit(a, b, a >> 7);
            else if (action == 11) handler.deliverKey(a);
            else if (action == 12) handler.dispute(a);
            else if (action == 13) handler.vote(a, b, b % 2 == 0);
            else if (action == 14) b % 3 == 0 ? handler.finalizeBatch(a, b) : handler.finalize(a);
            else if (action == 15) b % 2 == 0 ? handler.readCoin(a, b) : handler.reveal(a);
            else if (action == 16) handler.warp(b);
            else if (action == 17) handler.cancel(a);
            else if (action == 18) handler.timeout(a);
            else if (action == 19 && b % 4 == 0) handler.withdrawBalance(a, b);
            else handler.release(a, uint8(b));
        }
        require(handler.reached(IJobMarket.JobStatus.Finalized) > 0, "no Finalized");
        require(handler.reached(IJobMarket.JobStatus.Cancelled) > 0, "no Cancelled");
        invariant_marketBalanceEqualsLiveEscrowPlusFees();
        invariant_noJobPaidTwice();
        invariant_terminalStatesAreFinal();
        invariant_stakeNeverNegativeAndFullyBacked();
        invariant_lockedEqualsLiveCollateral();
        invariant_poolWeightIsEligibleStake();
        invariant_activeJobsAreLiveJobs();
    }

    /// @notice Market USDC balance == escrow of live jobs + unclaimed fees + accounts' balances (deposits, earnings,
    ///         refunds to balances, failed transfers), and the balances' total is the sum of each account's: deposits
    ///         and withdrawals never touch escrow.
    function invariant_marketBalanceEqualsLiveEscrowPlusFees() public view {
        IJobMarket market = handler.market();
        uint256 live;
        uint256 n = handler.jobCount();
        for (uint256 id = 1; id <= n; ++id) {
            IJobMarket.Job memory job = market.getJob(id);
            if (uint8(job.status) <= uint8(IJobMarket.JobStatus.Disputed)) {
                live += uint256(job.maxOutputTokens) * job.maxPricePerToken;
            }
            // A disputer's bond is held until the dispute settles.
            if (job.status == IJobMarket.JobStatus.Disputed) live += handler.bondOf(id);
        }
        address usdc = address(handler.usdc());
        require(
            handler.usdc().balanceOf(address(market)) == live + market.accruedFees(usdc) + market.totalBalance(usdc),
            "balance != escrow + fees + balances"
        );
        require(market.totalBalance(usdc) == handler.sumOfBalances(), "total balance != sum of balances");
    }

    /// @notice Providers hold exactly what finalized receipts paid them: no job paid twice, none paid unfinalized.
    function invariant_noJobPaidTwice() public view {
        IJobMarket market = handler.market();
        uint256 owed;
        uint256 n = handler.jobCount();
        for (uint256 id = 1; id <= n; ++id) {
            IJobMarket.Receipt memory r = market.getReceipt(id);
            if (r.job.status == IJobMarket.JobStatus.Finalized) owed += r.providerAmount;
        }
        // Providers also sit on committees: the bonds of disputes settled for the accused with votes went to them.
        require(
            handler.paidToProviders() == owed + handler.bondsPaidToMembers(),
            "provider payouts != finalized receipts + committee bonds"
        );
    }

    /// @notice Every job that ended stayed in the one terminal state it entered.
    function invariant_terminalStatesAreFinal() public view {
        require(!handler.violated(), "a terminal job moved");
    }

    /// @notice Stake accounting: locked <= stake for each provider, and the registry holds exactly stake + unbonding.
    function invariant_stakeNeverNegativeAndFullyBacked() public view {
        IStakingRegistry staking = handler.staking();
        address[5] memory providers = handler.providers();
        uint256 total;
        for (uint256 i; i < providers.length; ++i) {
            IStakingRegistry.Provider memory p = staking.getProvider(providers[i]);
            require(p.locked <= p.stake, "locked > stake");
            total += uint256(p.stake) + p.unbonding;
        }
        require(handler.octo().balanceOf(address(staking)) == total, "registry balance != stake + unbonding");
    }

    /// @notice Locked collateral equals the collateral of the live claimed jobs.
    function invariant_lockedEqualsLiveCollateral() public view {
        IJobMarket market = handler.market();
        IStakingRegistry staking = handler.staking();
        address[5] memory providers = handler.providers();
        uint256 locked;
        for (uint256 i; i < providers.length; ++i) {
            locked += staking.getProvider(providers[i]).locked;
        }
        uint256 expected;
        uint256 n = handler.jobCount();
        for (uint256 id = 1; id <= n; ++id) {
            IJobMarket.Job memory job = market.getJob(id);
            IJobMarket.JobStatus s = job.status;
            if (s == IJobMarket.JobStatus.Claimed || s == IJobMarket.JobStatus.Submitted || s == IJobMarket.JobStatus.Disputed) {
                expected += job.collateral;
            }
        }
        require(locked == expected, "locked != live collateral");
    }

    /// @notice The committee pool of each tier weighs exactly the stake of the providers that could be drawn for it
    ///         (registered, accepting, not unbonding, at their tier's minimum, tier >= the pool's): the sortition tree
    ///         follows every stake, unbond, withdraw, pause and slash.
    ///         Each determinism class has its own pools, holding only its providers.
    function invariant_poolWeightIsEligibleStake() public view {
        IStakingRegistry staking = handler.staking();
        bytes32 modelId = handler.modelId();
        address[5] memory providers = handler.providers();
        for (uint256 c; c < 2; ++c) {
            bytes32 determinismClass = handler.classOf(c);
            for (uint8 t; t < 3; ++t) {
                uint256 expected;
                uint256 members;
                for (uint256 i; i < providers.length; ++i) {
                    if (i % 2 != c) continue;
                    IStakingRegistry.Provider memory p = staking.getProvider(providers[i]);
                    bool eligible = p.accepting && p.unbonding == 0 && p.stake >= staking.tierMinimumStake(p.tier);
                    if (eligible && p.tier >= t && p.stake > 0) {
                        expected += p.stake;
                        members += 1;
                    }
                }
                require(staking.poolWeight(modelId, determinismClass, t) == expected, "pool weight != eligible stake");
                require(staking.poolSize(modelId, determinismClass, t) == members, "pool size != eligible providers");
            }
        }
    }

    /// @notice A provider's active job count is its number of live jobs (Claimed, Submitted, Disputed), and never
    ///         above its offer's capacity.
    function invariant_activeJobsAreLiveJobs() public view {
        IJobMarket market = handler.market();
        IStakingRegistry staking = handler.staking();
        address[5] memory providers = handler.providers();
        uint256 n = handler.jobCount();
        for (uint256 i; i < providers.length; ++i) {
            uint256 live;
            for (uint256 id = 1; id <= n; ++id) {
                IJobMarket.Job memory job = market.getJob(id);
                IJobMarket.JobStatus s = job.status;
                bool isLive = s == IJobMarket.JobStatus.Claimed || s == IJobMarket.JobStatus.Submitted
                    || s == IJobMarket.JobStatus.Disputed;
                if (isLive && job.provider == providers[i]) live += 1;
            }
            uint256 active = staking.getProvider(providers[i]).activeJobs;
            require(active == live, "activeJobs != live jobs");
            require(active <= 3, "activeJobs above capacity");
        }
    }
}
