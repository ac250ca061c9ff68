// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ProtocolConstants as C} from "../generated/ProtocolConstants.sol";

/// @title ResultStatement
/// @notice Packs the `statement` public signal of a result-chunk proof (public signal [2] of IResultVerifier):
///         jobId | provider << 40 | chunkIndex << 200 | byteLength << 208 | tokenCount << 219 | maxTokens << 230.
///         The circuit decomposes it into exactly these fields (circuits/src/result-chunk.circom); the TypeScript twin
///         is packStatement in circuits/src/statement.ts. All three read the widths from circuits/src/constants.ts
///         (here through the generated ProtocolConstants). The packed value is < 2^250 < the scalar field order.
library ResultStatement {
    /// @notice The job id does not fit in the statement (STATEMENT_JOB_ID_BITS, 40 bits).
    error ResultStatementJobIdTooLarge(uint256 jobId);
    /// @notice The chunk index does not fit in the statement (STATEMENT_CHUNK_INDEX_BITS: at most MAX_CHUNKS chunks).
    error ResultStatementChunkIndexTooLarge(uint256 chunkIndex);
    /// @notice A chunk holds at most CHUNK_BYTES (1984) bytes.
    error ResultStatementByteLengthTooLarge(uint256 byteLength);
    /// @notice The token count does not fit in STATEMENT_TOKEN_COUNT_BITS (the circuit also enforces tokenCount <=
    ///         byteLength).
    error ResultStatementTokenCountTooLarge(uint256 tokenCount);
    /// @notice The job's maximum token count does not fit in STATEMENT_MAX_TOKENS_BITS.
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
        require(jobId <= C.STATEMENT_JOB_ID_MAX, ResultStatementJobIdTooLarge(jobId));
        require(chunkIndex <= C.STATEMENT_CHUNK_INDEX_MAX, ResultStatementChunkIndexTooLarge(chunkIndex));
        // A chunk holds at most CHUNK_BYTES, fewer than the field's 11 bits allow.
        require(byteLength <= C.CHUNK_BYTES, ResultStatementByteLengthTooLarge(byteLength));
        require(tokenCount <= C.STATEMENT_TOKEN_COUNT_MAX, ResultStatementTokenCountTooLarge(tokenCount));
        require(maxTokens <= C.STATEMENT_MAX_TOKENS_MAX, ResultStatementMaxTokensTooLarge(maxTokens));
        return (jobId << C.STATEMENT_JOB_ID_OFFSET) | (uint256(uint160(provider)) << C.STATEMENT_PROVIDER_OFFSET)
            | (chunkIndex << C.STATEMENT_CHUNK_INDEX_OFFSET) | (byteLength << C.STATEMENT_BYTE_LENGTH_OFFSET)
            | (tokenCount << C.STATEMENT_TOKEN_COUNT_OFFSET) | (maxTokens << C.STATEMENT_MAX_TOKENS_OFFSET);
    }
}
