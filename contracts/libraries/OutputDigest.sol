// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ProtocolConstants} from "../generated/ProtocolConstants.sol";
import {PoseidonT17} from "../verifiers/PoseidonT17.sol";
import {PoseidonT5} from "../verifiers/PoseidonT5.sol";

/// @title OutputDigest
/// @notice The outputCommitment of one chunk computed on-chain from its posted ciphertext elements, for fraud
///         proofs: outputCommitment = Poseidon4(Poseidon16(c[0..15]), Poseidon16(c[16..31]), Poseidon16(c[32..47]),
///         Poseidon16(c[48..63])), the posted elements zero-padded to 64 (circuits/src/outputCommitment.ts and the
///         CiphertextDigest template compute the same). A chunk whose posted ciphertext digests to something other
///         than its proven outputCommitment was not the ciphertext the proof speaks of: the provider is at fault.
/// @dev PoseidonT17 and PoseidonT5 are linked libraries (generated into contracts/verifiers/; the width-17 round
///      constants exceed the contract size limit, so PoseidonT17 itself links PoseidonT17Constants0/1/2). A contract
///      using this library must be deployed with those links. Gas is high (~millions): it runs only on a claim.
library OutputDigest {
    /// @notice Returned for a posted element >= FIELD_ORDER. No proven commitment (< FIELD_ORDER) equals it, so a
    ///         non-field element posted by a provider always proves a mismatch.
    uint256 internal constant NOT_CANONICAL = type(uint256).max;

    /// @notice More than 64 elements were given for one chunk.
    error OutputDigestTooManyElements(uint256 count);

    /// @notice The digest of one chunk's posted ciphertext (at most 64 elements; missing ones count as 0).
    /// @return The outputCommitment, or NOT_CANONICAL when an element is not a field element.
    function digest(uint256[] calldata elements) internal pure returns (uint256) {
        require(elements.length <= ProtocolConstants.CHUNK_ELEMENTS, OutputDigestTooManyElements(elements.length));
        uint256[4] memory quarters;
        for (uint256 q = 0; q < 4; ++q) {
            uint256[16] memory block_;
            for (uint256 k = 0; k < 16; ++k) {
                uint256 i = 16 * q + k;
                if (i < elements.length) {
                    if (elements[i] >= ProtocolConstants.FIELD_ORDER) return NOT_CANONICAL;
                    block_[k] = elements[i];
                }
            }
            quarters[q] = PoseidonT17.hash(block_);
        }
        return PoseidonT5.hash(quarters);
    }
}
