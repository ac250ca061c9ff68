// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IStakingRegistry} from "../interfaces/IStakingRegistry.sol";

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

    /// @notice A dispute's committee and tally (three slots for the members, one for the rest).
    /// @param drawBlock The block whose hash seeds the draw; 0 once drawn.
    /// @param disputer The user who disputed, or zero for a random sample.
    struct Dispute {
        address[SIZE] members;
        uint8 size;
        uint8 faultVotes;
        uint8 cleanVotes;
        uint8 votedMask;
        uint64 drawBlock;
        address disputer;
    }

    /// @notice Draws up to SIZE distinct members, each with probability proportional to its stake in the pool of
    ///         (`modelId`, the accused's determinism class, `minTier`), never `accused`, and only providers eligible
    ///         now.
    /// @dev External (a linked library call): the draw's loop and registry calls stay out of JobMarket's bytecode.
    function draw(IStakingRegistry staking, uint256 seed, address accused, bytes32 modelId, uint8 minTier)
        external
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
        if (providerAtFault) d.faultVotes += 1;
        else d.cleanVotes += 1;
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
