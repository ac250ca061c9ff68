// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IStakingRegistry} from "../interfaces/IStakingRegistry.sol";

/// @title Committee
/// @notice Draws and tallies the validator committee of a disputed job.
/// @dev Randomness and its limits: the seed is keccak256(prevrandao, previous blockhash, jobId), drawn in the
///      transaction that opens the dispute. It is not unbiasable: the block producer can see (and on Polygon PoS,
///      where prevrandao is not a beacon output, influence) it, and a disputer can choose the block in which to
///      dispute, so a patient attacker who controls many eligible providers can raise its odds of a friendly
///      committee. What bounds the damage: members must be staked, eligible providers of the same model, never the
///      accused provider, and a quorum of QUORUM out of SIZE is needed either way. A production deployment should
///      draw from a VRF (e.g. Chainlink VRF on Polygon) or a commit-reveal on a later block; the tally here does not
///      change with that.
library Committee {
    /// @notice Members drawn per dispute.
    uint256 internal constant SIZE = 3;
    /// @notice Matching verdicts needed to decide.
    uint8 internal constant QUORUM = 2;
    /// @notice Most pool entries examined per draw, to bound gas on large pools with many ineligible entries.
    uint256 internal constant MAX_EXAMINED = 32;

    /// @notice A dispute's committee and tally (two slots for three members' addresses plus one for the counts).
    struct Dispute {
        address[SIZE] members;
        uint8 size;
        uint8 faultVotes;
        uint8 cleanVotes;
        uint8 votedMask;
    }

    /// @notice Picks up to SIZE distinct eligible providers from `pool`, starting at a seeded position and
    ///         stepping through the pool, skipping `accused` and anyone not eligible for the model and tier now.
    function draw(
        IStakingRegistry staking,
        address[] memory pool,
        uint256 seed,
        address accused,
        bytes32 modelId,
        uint8 minTier
    ) internal view returns (address[] memory members) {
        address[SIZE] memory found;
        uint256 count;
        uint256 poolSize = pool.length;
        if (poolSize > 0) {
            uint256 start = seed % poolSize;
            uint256 examined = poolSize < MAX_EXAMINED ? poolSize : MAX_EXAMINED;
            for (uint256 k; k < examined && count < SIZE; ++k) {
                address candidate = pool[(start + k) % poolSize];
                if (candidate != accused && staking.isEligible(candidate, modelId, minTier)) {
                    found[count++] = candidate;
                }
            }
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

    function _indexOf(Dispute storage d, address voter) private view returns (uint256) {
        uint256 size = d.size;
        for (uint256 i; i < size; ++i) {
            if (d.members[i] == voter) return i;
        }
        return SIZE;
    }
}
