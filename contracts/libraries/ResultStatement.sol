// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title ResultStatement
/// @notice Packs the `statement` public signal of a result-chunk proof (public signal [2] of IResultVerifier):
///         jobId | provider << 40 | chunkIndex << 200 | byteLength << 208 | tokenCount << 219 | maxTokens << 230.
///         The circuit decomposes it into exactly these fields (circuits/src/result-chunk.circom); the TypeScript twin
///         is packStatement in circuits/src/statement.ts. The packed value is < 2^250 < the scalar field order.
library ResultStatement {
    /// @notice Bits of each field (jobId 40, provider 160, chunkIndex 8, byteLength 11, tokenCount 11, maxTokens 20).
    uint256 internal constant MAX_JOB_ID = (1 << 40) - 1;
    uint256 internal constant MAX_CHUNK_INDEX = (1 << 8) - 1;
    /// @notice A chunk holds at most 64 field elements × 31 bytes.
    uint256 internal constant MAX_CHUNK_BYTES = 1984;
    uint256 internal constant MAX_TOKEN_COUNT = (1 << 11) - 1;
    uint256 internal constant MAX_MAX_TOKENS = (1 << 20) - 1;

    /// @notice The job id does not fit in 40 bits.
    error ResultStatementJobIdTooLarge(uint256 jobId);
    /// @notice The chunk index does not fit in 8 bits (at most 256 chunks per output).
    error ResultStatementChunkIndexTooLarge(uint256 chunkIndex);
    /// @notice A chunk holds at most 1984 bytes.
    error ResultStatementByteLengthTooLarge(uint256 byteLength);
    /// @notice The token count does not fit in 11 bits (the circuit also enforces tokenCount <= byteLength).
    error ResultStatementTokenCountTooLarge(uint256 tokenCount);
    /// @notice The job's maximum token count does not fit in 20 bits.
    error ResultStatementMaxTokensTooLarge(uint256 maxTokens);

    /// @notice The statement a valid chunk proof for these values must carry as its third public signal.
    /// @dev Reverts on out-of-range fields rather than truncating: a truncated field would bind the proof to
    ///      another job or bill. tokenCount <= byteLength and tokenCount <= maxTokens are left to the circuit.
    function pack(
        uint256 jobId,
        address provider,
        uint256 chunkIndex,
        uint256 byteLength,
        uint256 tokenCount,
        uint256 maxTokens
    ) internal pure returns (uint256) {
        require(jobId <= MAX_JOB_ID, ResultStatementJobIdTooLarge(jobId));
        require(chunkIndex <= MAX_CHUNK_INDEX, ResultStatementChunkIndexTooLarge(chunkIndex));
        require(byteLength <= MAX_CHUNK_BYTES, ResultStatementByteLengthTooLarge(byteLength));
        require(tokenCount <= MAX_TOKEN_COUNT, ResultStatementTokenCountTooLarge(tokenCount));
        require(maxTokens <= MAX_MAX_TOKENS, ResultStatementMaxTokensTooLarge(maxTokens));
        return jobId | (uint256(uint160(provider)) << 40) | (chunkIndex << 200) | (byteLength << 208)
            | (tokenCount << 219) | (maxTokens << 230);
    }
}
