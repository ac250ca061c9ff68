// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IJobMarket} from "../interfaces/IJobMarket.sol";
import {IStakingRegistry} from "../interfaces/IStakingRegistry.sol";
import {Settlement} from "./Settlement.sol";

/// @title Committee
/// @notice Draws and tallies the validator committee of a disputed job.
/// @dev Randomness: a dispute commits to a future block (`drawBlock`, the block after the dispute's); the committee
///      is drawn from that block's hash by whoever calls `drawCommittee` next, within the 256 blocks the EVM keeps
///      hashes for. Nobody can see the seed when the dispute is committed, and the disputer cannot revert a draw it
///      dislikes: the dispute is already on-chain. If nobody draws in time the dispute lapses and settles for the
///      provider, as a dispute without quorum does, so the only party that can profit from not drawing is the one
///      that would anyway. What remains: the producer of `drawBlock` sees its hash first and may withhold the block
///      (losing its reward) to re-roll once; on Polygon PoS producers are a known validator set.
///      The draw is weighted by stake: each member is drawn from the staking registry's sortition-sum tree of the
///      model's eligible providers (weight = stake, unstaked registrations weigh nothing), in O(log n) reads, with at
///      most MAX_DRAWS tickets so that no dispute's gas grows with the pool beyond that logarithm. Capturing a quorum
///      (QUORUM of SIZE seats) with probability p needs a share of the pool's stake s with
///      3s²(1 − s) + s³ >= p: a majority of the stake for an even chance; that stake must be real, bonded and unbonding
///      takes the registry's delay.
library Committee {
    /// @notice Members drawn per dispute.
    uint256 internal constant SIZE = 3;
    /// @notice Matching verdicts needed to decide.
    uint8 internal constant QUORUM = 2;
    /// @notice Most tickets drawn per committee (a ticket may hit the accused, a member already drawn, or a provider
    ///         no longer eligible); bounds a dispute's gas whatever the pool.
    uint256 internal constant MAX_DRAWS = 16;
    /// @notice Blocks after `drawBlock` during which the committee can be drawn (the EVM's blockhash horizon).
    uint256 internal constant DRAW_BLOCKS = 256;

    /// @notice A dispute's committee and tally (three slots for the members, two for the rest).
    /// @param drawBlock The block whose hash seeds the draw; 0 once drawn.
    /// @param disputer The user who disputed, or zero for a random sample.
    /// @param bond What the disputer posted, in the job's payment token (0 for a sample).
    /// @param faultMask Bit i set: member i voted the provider at fault (with `votedMask`, each member's side).
    /// @param revealed A party revealed the job's input to the committee.
    /// @dev While the job is Submitted, a nonzero `drawBlock` is its sample coin's block (`commitCoin`), not a draw.
    struct Dispute {
        address[SIZE] members;
        uint8 size;
        uint8 faultVotes;
        uint8 cleanVotes;
        uint8 votedMask;
        uint64 drawBlock;
        address disputer;
        uint128 bond;
        uint8 faultMask;
        bool revealed;
    }

    /// @notice Which members `voters` lists.
    enum Side {
        Any,
        Fault,
        Clean,
        None
    }

    /// @notice Draws up to SIZE distinct members, each with probability proportional to its stake in the pool of
    ///         (`modelId`, the accused's determinism class, `minTier`), never `accused`, and only providers eligible
    ///         now.
    /// @dev External (a linked library call): the draw's loop and registry calls stay out of JobMarket's bytecode.
    function draw(IStakingRegistry staking, uint256 seed, address accused, bytes32 modelId, uint8 minTier)
        public
        view
        returns (address[] memory members)
    {
        address[SIZE] memory found;
        uint256 count;
        // Only the accused's determinism class can re-run its output and compare bytes; the class cannot have changed
        // since the job was taken (the registry refuses a class change while collateral is locked).
        bytes32 determinismClass = staking.classOf(accused, modelId);
        for (uint256 k; k < MAX_DRAWS && count < SIZE; ++k) {
            address candidate =
                staking.drawProvider(modelId, determinismClass, minTier, uint256(keccak256(abi.encode(seed, k))));
            if (candidate == address(0)) break;
            if (candidate == accused || _contains(found, count, candidate)) continue;
            if (!staking.isEligible(candidate, modelId, minTier)) continue;
            found[count++] = candidate;
        }
        members = new address[](count);
        for (uint256 i; i < count; ++i) {
            members[i] = found[i];
        }
    }

    /// @notice `drawCommittee`'s work for a Disputed job: draws its committee from the hash of its draw block (after
    ///         that block, within DRAW_BLOCKS), stores it and opens the votes for `disputeWindow` (no window when
    ///         fewer than a quorum could be drawn: the dispute then settles for the provider at once).
    function drawFor(
        Dispute storage d,
        IJobMarket.Job storage job,
        uint256 jobId,
        IStakingRegistry staking,
        uint40 disputeWindow
    ) external {
        uint256 drawBlock = d.drawBlock;
        require(drawBlock != 0, IJobMarket.DisputeAlreadyDrawn(jobId));
        require(
            block.number > drawBlock && block.number <= drawBlock + DRAW_BLOCKS,
            IJobMarket.DisputeDrawOutsideWindow(jobId, drawBlock, block.number)
        );
        uint256 seed = uint256(keccak256(abi.encode(blockhash(drawBlock), jobId)));
        address[] memory committee = draw(staking, seed, job.provider, job.modelId, job.minTier);
        d.drawBlock = 0;
        store(d, committee);
        uint40 disputeEnd = uint40(block.timestamp) + (committee.length >= QUORUM ? disputeWindow : uint40(0));
        job.windowEnd = disputeEnd;
        emit IJobMarket.JobDisputed(jobId, d.disputer, committee, disputeEnd);
    }

    /// @notice `revealJobSecret`'s checks and event: the caller is the job's user or provider, the committee is
    ///         drawn, its window open, and there is one wrap per member.
    function reveal(
        Dispute storage d,
        IJobMarket.Job storage job,
        uint256 jobId,
        bytes32 ephemeralPublicKey,
        bytes[] calldata wrappedSecrets
    ) external {
        require(msg.sender == job.user || msg.sender == job.provider, IJobMarket.DisputeNotParty(jobId, msg.sender));
        uint256 drawBlock = d.drawBlock;
        require(drawBlock == 0, IJobMarket.DisputeNotDrawn(jobId, drawBlock));
        require(block.timestamp < job.windowEnd, IJobMarket.JobWindowClosed(jobId, job.windowEnd));
        uint256 size = d.size;
        require(wrappedSecrets.length == size, IJobMarket.DisputeRevealCountInvalid(wrappedSecrets.length, size));
        d.revealed = true;
        emit IJobMarket.JobSecretRevealed(jobId, msg.sender, ephemeralPublicKey, wrappedSecrets);
    }

    /// @notice Opens a dispute of a Submitted job: commits it to the hash of the next block (`drawFor` draws from it
    ///         later), holds the job open until then (windowEnd is the maximum: only the lapse of the draw window
    ///         settles an undrawn dispute) and tells the registry.
    /// @dev External, like the rest: JobMarket's bytecode is at EIP-170's limit.
    function open(
        Dispute storage d,
        IJobMarket.Job storage job,
        uint256 jobId,
        address disputer,
        uint256 bond,
        IStakingRegistry staking
    ) external {
        uint64 drawBlock = uint64(block.number + 1);
        d.drawBlock = drawBlock;
        d.disputer = disputer;
        // Cannot truncate: bond <= escrow / 2 < 2^103.
        d.bond = uint128(bond);
        job.status = IJobMarket.JobStatus.Disputed;
        job.windowEnd = type(uint40).max;
        emit IJobMarket.DisputeOpened(jobId, disputer, drawBlock, bond);
        staking.recordOutcome(job.provider, jobId, IStakingRegistry.Outcome.Disputed);
    }

    /// @notice After a full voting window without a clean quorum, members that never voted lose reputation, if the
    ///         job's input was revealed to them (without it they had nothing to re-run).
    function recordMissedVotes(Dispute storage d, uint256 jobId, IStakingRegistry staking) external {
        if (d.cleanVotes >= QUORUM || !d.revealed || d.drawBlock != 0 || d.size < QUORUM) return;
        address[] memory missed = voters(d, Side.None);
        for (uint256 i; i < missed.length; ++i) {
            staking.recordOutcome(missed[i], jobId, IStakingRegistry.Outcome.VoteMissed);
        }
    }

    /// @notice Commits a submitted result's sample coin to the hash of the next block, which the submitter cannot know
    ///         (its transaction is already in this one).
    function commitCoin(Dispute storage d, uint256 jobId) external {
        uint64 coinBlock = uint64(block.number + 1);
        d.drawBlock = coinBlock;
        emit IJobMarket.SampleCoinCommitted(jobId, coinBlock);
    }

    /// @notice `readSampleCoin`'s work: reads the coin from its block's hash (or sampled, once that hash is beyond the
    ///         EVM's 256-block horizon), clears it, and returns whether the result is sampled.
    function readCoin(Dispute storage d, uint256 jobId, uint16 sampleBps) external returns (bool sampled) {
        uint256 coinBlock = d.drawBlock;
        require(coinBlock != 0, IJobMarket.SampleCoinNotPending(jobId));
        require(block.number > coinBlock, IJobMarket.SampleCoinNotMined(jobId, coinBlock));
        bool lapsed = block.number > coinBlock + DRAW_BLOCKS;
        sampled = lapsed || uint256(keccak256(abi.encode(blockhash(coinBlock), jobId))) % Settlement.BPS < sampleBps;
        d.drawBlock = 0;
        emit IJobMarket.SampleCoinRead(jobId, coinBlock, sampled, lapsed);
    }

    /// @notice A sample that settles without its input ever revealed, though a committee was (or could have been)
    ///         drawn to receive it: its provider is not paid.
    function unrevealedSample(Dispute storage d) internal view returns (bool) {
        return d.disputer == address(0) && !d.revealed && (d.drawBlock != 0 || d.size >= QUORUM);
    }

    /// @notice `voteOnDispute`'s ballot: the caller sits on the committee, has not voted, and the window is open;
    ///         records its verdict and returns the running tally.
    function castVote(Dispute storage d, IJobMarket.Job storage job, uint256 jobId, bool providerAtFault)
        external
        returns (uint8 faultVotes, uint8 cleanVotes)
    {
        require(block.timestamp < job.windowEnd, IJobMarket.JobWindowClosed(jobId, job.windowEnd));
        (bool member, bool voted) = ballot(d, msg.sender);
        require(member, IJobMarket.DisputeNotCommitteeMember(jobId, msg.sender));
        require(!voted, IJobMarket.DisputeAlreadyVoted(jobId, msg.sender));
        (faultVotes, cleanVotes) = vote(d, msg.sender, providerAtFault);
        emit IJobMarket.DisputeVoted(jobId, msg.sender, providerAtFault);
    }

    /// @notice Writes a freshly drawn committee.
    function store(Dispute storage d, address[] memory members) internal {
        for (uint256 i; i < members.length; ++i) {
            d.members[i] = members[i];
        }
        // Cannot truncate: members.length <= SIZE.
        d.size = uint8(members.length);
    }

    /// @notice Whether `voter` sits on the committee, and whether it has voted.
    function ballot(Dispute storage d, address voter) internal view returns (bool member, bool voted) {
        uint256 index = _indexOf(d, voter);
        if (index == SIZE) return (false, false);
        return (true, d.votedMask & (1 << index) != 0);
    }

    /// @notice Records a member's verdict; returns the running tally.
    function vote(Dispute storage d, address voter, bool providerAtFault)
        internal
        returns (uint8 faultVotes, uint8 cleanVotes)
    {
        uint256 index = _indexOf(d, voter);
        // Cannot truncate: index < SIZE <= 8.
        d.votedMask |= uint8(1 << index);
        if (providerAtFault) {
            d.faultVotes += 1;
            d.faultMask |= uint8(1 << index);
        } else {
            d.cleanVotes += 1;
        }
        return (d.faultVotes, d.cleanVotes);
    }

    /// @notice The committee and its tally.
    function read(Dispute storage d)
        internal
        view
        returns (address[] memory members, uint8 faultVotes, uint8 cleanVotes)
    {
        members = new address[](d.size);
        for (uint256 i; i < members.length; ++i) {
            members[i] = d.members[i];
        }
        return (members, d.faultVotes, d.cleanVotes);
    }

    /// @notice The members who voted on `side` (Any: every voter; None: those who did not vote), in committee order.
    function voters(Dispute storage d, Side side) public view returns (address[] memory found) {
        uint256 size = d.size;
        uint8 voted = d.votedMask;
        uint8 fault = d.faultMask;
        found = new address[](size);
        uint256 count;
        for (uint256 i; i < size; ++i) {
            uint8 bit = uint8(1 << i);
            bool didVote = voted & bit != 0;
            bool match_ = side == Side.None
                ? !didVote
                : didVote && (side == Side.Any || (side == Side.Fault) == (fault & bit != 0));
            if (match_) found[count++] = d.members[i];
        }
        // Shrink to the members found (the array was allocated for the whole committee).
        assembly ("memory-safe") {
            mstore(found, count)
        }
    }

    function _contains(address[SIZE] memory found, uint256 count, address candidate) private pure returns (bool) {
        for (uint256 i; i < count; ++i) {
            if (found[i] == candidate) return true;
        }
        return false;
    }

    function _indexOf(Dispute storage d, address voter) private view returns (uint256) {
        uint256 size = d.size;
        for (uint256 i; i < size; ++i) {
            if (d.members[i] == voter) return i;
        }
        return SIZE;
    }
}
