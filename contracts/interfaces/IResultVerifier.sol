// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IResultVerifier
/// @notice Verifies the Groth16 result attestation of one output chunk, alone or many at once.
/// @dev Public signals, in order (the single list lives in circuits/src/publicSignals.ts and circuits/README.md):
///      [0] outputCommitment: Poseidon digest of the chunk's ciphertext elements; under the committed key it is a
///          binding and hiding commitment to the plaintext chunk.
///      [1] keyCommitment: Poseidon2(DOMAIN_KEY, outputKey), fixed by the user at job creation.
///      [2] statement: jobId | provider << 40 | chunkIndex << 200 | byteLength << 208 | tokenCount << 219
///          | maxTokens << 230 (see ResultStatement.pack).
///      Proof layout: [a.x, a.y, b.x1, b.x0, b.y1, b.y0, c.x, c.y] (the EVM pairing order, G2 limbs swapped).
///      The implementation is generated from the circuit's verification key and never edited by hand.
interface IResultVerifier {
    /// @notice Checks one proof against its public signals.
    /// @param proof The Groth16 proof in EVM order.
    /// @param publicSignals The three public signals, each < the BN254 scalar field order.
    /// @return True when the proof verifies.
    function verifyProof(uint256[8] calldata proof, uint256[3] calldata publicSignals) external view returns (bool);

    /// @notice Checks many proofs with one multi-pairing (a random linear combination of their equations).
    /// @param proofs The proofs, in EVM order.
    /// @param publicSignals Their public signals, index-aligned with `proofs`.
    /// @return True only when every proof verifies (except with probability below 2^-128).
    function verifyBatch(uint256[8][] calldata proofs, uint256[3][] calldata publicSignals)
        external
        view
        returns (bool);

    /// @notice Identifies the circuit (and so the verification key) this verifier checks, for versioning.
    function circuitId() external view returns (bytes32);
}
