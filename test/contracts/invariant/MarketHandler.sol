// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IJobMarket} from "../../../contracts/interfaces/IJobMarket.sol";
import {IModelRegistry} from "../../../contracts/interfaces/IModelRegistry.sol";
import {IStakingRegistry} from "../../../contracts/interfaces/IStakingRegistry.sol";
import {JobMarket} from "../../../contracts/JobMarket.sol";
import {ModelRegistry} from "../../../contracts/ModelRegistry.sol";
import {OctoToken} from "../../../contracts/OctoToken.sol";
import {StakingRegistry} from "../../../contracts/StakingRegistry.sol";
import {MockResultVerifier} from "../../../contracts/mocks/MockResultVerifier.sol";
import {MockUSDC} from "../../../contracts/mocks/MockUSDC.sol";
import {VM} from "../utils/Vm.sol";

/// @notice The fuzzer's only target: each function is one user, provider, validator or keeper action with random
///         arguments, acting as a random actor. Expected reverts are swallowed (the action simply did not happen);
///         ghost variables record what the invariants need: terminal states seen and money paid out.
contract MarketHandler {
    uint256 internal constant USERS = 3;
    uint256 internal constant PROVIDERS = 5;
    uint256 internal constant PRICE = 10;
    /// @notice Jobs a provider runs at once: small, so that the fuzzer reaches a full provider.
    uint16 internal constant CAPACITY = 3;

    /// @notice Provider i's determinism class: providers 0, 2, 4 in one, 1 and 3 in the other.
    function classOf(uint256 i) public pure returns (bytes32) {
        return keccak256(abi.encode("class", i % 2));
    }

    OctoToken public immutable octo;
    MockUSDC public immutable usdc;
    ModelRegistry public immutable models;
    StakingRegistry public immutable staking;
    JobMarket public immutable market;
    bytes32 public immutable modelId;

    address[USERS] internal _users;
    address[PROVIDERS] internal _providers;

    /// @notice Ghost: terminal status first seen per job (0 while live); a change afterwards is a violation.
    mapping(uint256 jobId => IJobMarket.JobStatus) public terminalSeen;
    /// @notice Ghost: a terminal job moved again, or a job was paid twice.
    bool public violated;
    /// @notice Ghost: USDC the market sent to providers, and what finalized receipts say it owed them.
    uint256 public paidToProviders;
    /// @notice Each disputed job's bond, as the market's terms set it when the dispute opened.
    mapping(uint256 jobId => uint256) public bondOf;
    /// @notice Bonds of disputes settled for the provider with at least one vote: paid to the voting members.
    uint256 public bondsPaidToMembers;
    uint256 public calls;
    /// @notice Ghost: how many jobs entered each terminal status (shows the fuzzer reaches every ending).
    mapping(IJobMarket.JobStatus status => uint256) public reached;

    constructor() {
        octo = new OctoToken(address(this), 1e30);
        usdc = new MockUSDC();
        models = new ModelRegistry(address(this));
        staking = new StakingRegistry(octo, address(this), 1e18);
        market = new JobMarket(new MockResultVerifier(), staking, models, address(this), address(0xfee));
        staking.bindJobMarket(address(market));
        // Two determinism classes (3 + 2 providers): each provider then has at least one other of its class.
        staking.setMinValidators(1);
        market.setPaymentToken(address(usdc), true);
        // Half of all verifiable results are sampled: the sample's coin, draw, reveal and unpaid ending are in play.
        market.setSampleBps(5_000);
        modelId = models.registerModel(IModelRegistry.ModelSpec("m", bytes32(uint256(1)), "q4", "e"), 0);
        for (uint256 i; i < USERS; ++i) {
            _users[i] = address(uint160(0x1000 + i));
        }
        for (uint256 i; i < PROVIDERS; ++i) {
            address p = address(uint160(0x2000 + i));
            _providers[i] = p;
            require(octo.transfer(p, 1e24), "fund");
            VM.prank(p);
            octo.approve(address(staking), type(uint256).max);
            VM.prank(p);
            staking.register(0, bytes32(0), "");
            VM.prank(p);
            staking.stake(2_000e18);
            VM.prank(p);
            staking.setAccepting(true);
            VM.prank(p);
            staking.setOffer(modelId, address(usdc), uint128(PRICE), 4096, CAPACITY, classOf(i));
        }
    }

    // ------------------------------------------------------------------ actions

    /// @param fromBalance Pay from a prepaid balance (deposited here, sometimes more than the escrow) instead of by
    ///        transfer.
    function create(
        uint256 userSeed,
        uint256 tokens,
        uint256 price,
        bool named,
        bool verifiable,
        uint256 providerSeed,
        bool fromBalance
    ) external {
        address user = _users[userSeed % USERS];
        uint24 maxTokens = uint24(1 + tokens % 500);
        uint80 maxPrice = uint80(PRICE + price % 20);
        usdc.mint(user, uint256(maxTokens) * maxPrice);
        VM.prank(user);
        usdc.approve(address(market), type(uint256).max);
        IJobMarket.JobRequest memory r = IJobMarket.JobRequest({
            modelId: modelId,
            paymentToken: address(usdc),
            maxOutputTokens: maxTokens,
            maxPricePerToken: maxPrice,
            minTier: 0,
            verifiable: verifiable,
            callback: false,
            deadline: uint40(block.timestamp + 4 hours),
            provider: named ? _providers[providerSeed % PROVIDERS] : address(0),
            userPublicKey: bytes32(0),
            keyCommitment: 1
        });
        // A named provider at capacity (or otherwise unable to take the job) refuses it at creation.
        if (fromBalance) {
            uint256 extra = price % 3 == 0 ? 1_000 : 0;
            usdc.mint(user, extra);
            VM.prank(user);
            market.deposit(address(usdc), uint256(maxTokens) * maxPrice + extra);
            VM.prank(user);
            try market.createJobFromBalance(r, hex"01", "", bytes32(0)) {} catch {}
        } else {
            VM.prank(user);
            try market.createJob(r, hex"01", "", bytes32(0)) {} catch {}
        }
        _after(0);
    }

    /// @notice A user takes some of its balance out: refunds of balance-paid jobs and unspent deposits.
    function withdrawBalance(uint256 userSeed, uint256 amount) external {
        address user = _users[userSeed % USERS];
        uint256 balance = market.balanceOf(address(usdc), user);
        VM.prank(user);
        market.withdraw(address(usdc), balance == 0 ? 0 : amount % (balance + 1));
        _after(0);
    }

    /// @notice The sum of the users' and providers' balances (the market's own record of each).
    function sumOfBalances() external view returns (uint256 sum) {
        for (uint256 i; i < USERS; ++i) {
            sum += market.balanceOf(address(usdc), _users[i]);
        }
        for (uint256 i; i < PROVIDERS; ++i) {
            sum += market.balanceOf(address(usdc), _providers[i]);
        }
    }

    function claim(uint256 jobSeed, uint256 providerSeed) external {
        uint256 jobId = _pick(jobSeed, IJobMarket.JobStatus.Open);
        VM.prank(_providers[providerSeed % PROVIDERS]);
        try market.claimJob(jobId) {} catch {}
        _after(jobId);
    }

    function deliverKey(uint256 jobSeed) external {
        uint256 jobId = _pick(jobSeed, IJobMarket.JobStatus.Claimed);
        VM.prank(market.getJob(jobId).user);
        try market.deliverJobKey(jobId, bytes32(0), hex"02") {} catch {}
        _after(jobId);
    }

    function release(uint256 jobSeed, uint8 reason) external {
        uint256 jobId = _pick(jobSeed, IJobMarket.JobStatus.Claimed);
        VM.prank(market.getJob(jobId).provider);
        try market.releaseJob(jobId, IJobMarket.ReleaseReason(1 + reason % 5)) {} catch {}
        _after(jobId);
    }

    function submit(uint256 jobSeed, uint256 tokens, uint256 byteLength) external {
        uint256 jobId = _pick(jobSeed, IJobMarket.JobStatus.Claimed);
        IJobMarket.Job memory job = market.getJob(jobId);
        uint256 length = 1 + byteLength % 1984;
        uint256 maxTokens = job.maxOutputTokens < length ? job.maxOutputTokens : length;
        IJobMarket.Result memory result;
        result.chunks = new IJobMarket.Chunk[](1);
        uint256 commitment = uint256(keccak256(abi.encode(jobId, tokens))) >> 8;
        result.chunks[0] = IJobMarket.Chunk(commitment, uint16(length), uint16(tokens % (maxTokens + 1)));
        result.ciphertext = new uint256[]((length + 30) / 31);
        for (uint256 i; i < result.ciphertext.length; ++i) {
            result.ciphertext[i] = i + 1;
        }
        uint256[8][] memory proofs = new uint256[8][](1);
        VM.prank(job.provider);
        try market.submitResult(jobId, result, proofs) {
            _lastCommitment[jobId] = commitment;
            _lastElements[jobId] = result.ciphertext.length;
        } catch {}
        _after(jobId);
    }

    function dispute(uint256 jobSeed) external {
        uint256 jobId = _pick(jobSeed, IJobMarket.JobStatus.Submitted);
        VM.prank(market.getJob(jobId).user);
        IJobMarket.Job memory job = market.getJob(jobId);
        (uint16 bondBps,) = market.disputeTerms();
        uint256 bond = uint256(job.maxOutputTokens) * job.maxPricePerToken * bondBps / 10_000;
        try market.dispute(jobId) {
            bondOf[jobId] = bond;
            // The committee comes from the next block's hash: move one block on and let anyone draw it.
            VM.roll(block.number + 1);
            try market.drawCommittee(jobId) {} catch {}
        } catch {}
        _after(jobId);
    }

    /// @notice A keeper reads a submitted result's sample coin a block later (or many: a lapsed coin samples) and,
    ///         when sampled, draws the committee one block after that.
    function readCoin(uint256 jobSeed, uint256 blocks) external {
        uint256 jobId = _pick(jobSeed, IJobMarket.JobStatus.Submitted);
        VM.roll(block.number + 1 + (blocks % 8 == 0 ? 300 : 0));
        try market.readSampleCoin(jobId) {
            VM.roll(block.number + 1);
            try market.drawCommittee(jobId) {} catch {}
        } catch {}
        _after(jobId);
    }

    /// @notice The provider of a disputed job reveals its input to the committee (placeholder wraps).
    function reveal(uint256 jobSeed) external {
        uint256 jobId = _pick(jobSeed, IJobMarket.JobStatus.Disputed);
        (address[] memory committee,,) = market.getDispute(jobId);
        VM.prank(market.getJob(jobId).provider);
        try market.revealJobSecret(jobId, bytes32(jobSeed), new bytes[](committee.length)) {} catch {}
        _after(jobId);
    }

    function vote(uint256 jobSeed, uint256 memberSeed, bool fault) external {
        uint256 jobId = _pick(jobSeed, IJobMarket.JobStatus.Disputed);
        (address[] memory committee,,) = market.getDispute(jobId);
        if (committee.length == 0) return;
        VM.prank(committee[memberSeed % committee.length]);
        try market.voteOnDispute(jobId, fault) {} catch {}
        _after(jobId);
    }

    function proveFraud(uint256 jobSeed) external {
        uint256 jobId = _jobWithResult(jobSeed);
        if (jobId == 0) return;
        // The handler's results post ciphertext 1..n with an arbitrary commitment: the fraud proof must succeed
        // whenever the job is still Submitted or Disputed, and fail otherwise.
        uint256[] memory commitments = new uint256[](1);
        commitments[0] = _lastCommitment[jobId];
        uint256[] memory ciphertext = new uint256[](_lastElements[jobId]);
        for (uint256 i; i < ciphertext.length; ++i) {
            ciphertext[i] = i + 1;
        }
        try market.proveCiphertextMismatch(jobId, 0, ciphertext, commitments) {} catch {}
        _after(jobId);
    }

    function finalize(uint256 jobSeed) external {
        uint256 jobId = _jobWithResult(jobSeed);
        if (jobId == 0) return;
        try market.finalize(jobId) {} catch {}
        _after(jobId);
    }

    function finalizeBatch(uint256 jobSeed, uint256 count) external {
        uint256[] memory ids = new uint256[](1 + count % 4);
        for (uint256 i; i < ids.length; ++i) {
            ids[i] = _job(jobSeed + i);
        }
        try market.finalizeBatch(ids) {} catch {}
        for (uint256 i; i < ids.length; ++i) {
            _after(ids[i]);
        }
    }

    function cancel(uint256 jobSeed) external {
        uint256 jobId = _pick(jobSeed, IJobMarket.JobStatus.Open);
        VM.prank(market.getJob(jobId).user);
        try market.cancelJob(jobId) {} catch {}
        _after(jobId);
    }

    function timeout(uint256 jobSeed) external {
        uint256 jobId = _pick(jobSeed, IJobMarket.JobStatus.Claimed);
        try market.timeoutJob(jobId) {} catch {}
        _after(jobId);
    }

    function stake(uint256 providerSeed, uint256 amount) external {
        VM.prank(_providers[providerSeed % PROVIDERS]);
        staking.stake(uint128(1 + amount % 1_000e18));
        _after(0);
    }

    function unbond(uint256 providerSeed, uint256 amount) external {
        VM.prank(_providers[providerSeed % PROVIDERS]);
        try staking.requestUnbond(uint128(1 + amount % 3_000e18)) {} catch {}
        _after(0);
    }

    function withdraw(uint256 providerSeed) external {
        VM.prank(_providers[providerSeed % PROVIDERS]);
        try staking.withdraw() {} catch {}
        _after(0);
    }

    function setAccepting(uint256 providerSeed, bool accepting) external {
        VM.prank(_providers[providerSeed % PROVIDERS]);
        staking.setAccepting(accepting);
        _after(0);
    }

    function withdrawFees() external {
        market.withdrawFees(address(usdc));
        _after(0);
    }

    function warp(uint256 seconds_) external {
        VM.warp(block.timestamp + seconds_ % 50 minutes);
        _after(0);
    }

    // ------------------------------------------------------------------ ghost bookkeeping

    mapping(uint256 jobId => uint256) internal _lastCommitment;
    mapping(uint256 jobId => uint256) internal _lastElements;

    /// @dev After every action, for the job it touched: a terminal status may be entered once and never left.
    ///      Also snapshots what providers have received, for the payout invariant.
    function _after(uint256 id) internal {
        calls += 1;
        if (id != 0) {
            IJobMarket.Job memory job = market.getJob(id);
            if (uint8(job.status) > uint8(IJobMarket.JobStatus.Disputed)) {
                IJobMarket.JobStatus seen = terminalSeen[id];
                if (seen == IJobMarket.JobStatus.None) {
                    terminalSeen[id] = job.status;
                    reached[job.status] += 1;
                    (, uint8 faultVotes, uint8 cleanVotes) = market.getDispute(id);
                    if (job.status == IJobMarket.JobStatus.Finalized && faultVotes + cleanVotes > 0) {
                        bondsPaidToMembers += bondOf[id];
                    }
                } else if (seen != job.status) violated = true;
            } else if (terminalSeen[id] != IJobMarket.JobStatus.None) {
                violated = true;
            }
        }
        uint256 received;
        for (uint256 i; i < PROVIDERS; ++i) {
            // Earnings are credited to the provider's balance in the market (never withdrawn here).
            received += usdc.balanceOf(_providers[i]) + market.balanceOf(address(usdc), _providers[i]);
        }
        paidToProviders = received;
    }

    // ------------------------------------------------------------------ views for the invariants

    function jobCount() external view returns (uint256) {
        return market.nextJobId() - 1;
    }

    function providers() external view returns (address[PROVIDERS] memory) {
        return _providers;
    }

    /// @dev Mostly a job in `status` (searching from a random one), sometimes (1 in 8) any job, so both the
    ///      transitions and their revert paths are exercised.
    function _pick(uint256 seed, IJobMarket.JobStatus status) internal view returns (uint256) {
        if (seed % 8 == 0) return _job(seed >> 3);
        uint256 count = market.nextJobId() - 1;
        for (uint256 k; k < count && k < 16; ++k) {
            uint256 candidate = 1 + (seed + k) % count;
            if (market.getJob(candidate).status == status) return candidate;
        }
        return _job(seed);
    }

    /// @dev A job with a result not yet settled (Submitted or Disputed), searching from a random one; 0 if none.
    function _jobWithResult(uint256 seed) internal view returns (uint256 jobId) {
        uint256 count = market.nextJobId() - 1;
        for (uint256 k; k < count && k < 16 && jobId == 0; ++k) {
            uint256 candidate = 1 + (seed + k) % count;
            IJobMarket.JobStatus s = market.getJob(candidate).status;
            if (s == IJobMarket.JobStatus.Submitted || s == IJobMarket.JobStatus.Disputed) jobId = candidate;
        }
    }

    function _job(uint256 seed) internal view returns (uint256) {
        uint256 count = market.nextJobId() - 1;
        return count == 0 ? 1 : 1 + seed % count;
    }
}
