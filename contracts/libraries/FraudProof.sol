// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ProtocolConstants} from "../generated/ProtocolConstants.sol";
import {IJobMarket} from "../interfaces/IJobMarket.sol";
import {OutputDigest} from "./OutputDigest.sol";

/// @title FraudProof
/// @notice The ciphertext fraud proof's check of one job: the posted ciphertext and commitments against the job's
///         record, and the Poseidon digest of one chunk as posted. A linked library (its functions are external) so
///         that the Poseidon code stays out of JobMarket's bytecode.
library FraudProof {
    /// @notice Checks the posted ciphertext and commitments against `job`'s record; returns the Poseidon digest of
    ///         chunk `chunkIndex` as posted (its elements, zero-padded to 64) and the commitment its proof proved.
    /// @dev Every chunk but the last is 64 elements, so chunk i starts at element 64·i.
    function postedDigest(
        IJobMarket.Job storage job,
        uint256 chunkIndex,
        uint256[] calldata ciphertext,
        uint256[] calldata outputCommitments
    ) external view returns (uint256 digest, uint256 proven) {
        bytes32 posted = keccak256(abi.encodePacked(ciphertext));
        require(posted == job.ciphertextHash, IJobMarket.FraudProofCiphertextMismatch(posted, job.ciphertextHash));
        bytes32 root = keccak256(abi.encodePacked(outputCommitments));
        require(root == job.outputRoot, IJobMarket.FraudProofCommitmentsMismatch(root, job.outputRoot));
        require(
            chunkIndex < outputCommitments.length,
            IJobMarket.FraudProofChunkIndexInvalid(chunkIndex, outputCommitments.length)
        );
        uint256 start = chunkIndex * ProtocolConstants.CHUNK_ELEMENTS;
        uint256 end = start + ProtocolConstants.CHUNK_ELEMENTS;
        if (end > ciphertext.length) end = ciphertext.length;
        if (start > end) start = end;
        digest = OutputDigest.digest(ciphertext[start:end]);
        proven = outputCommitments[chunkIndex];
    }
}
