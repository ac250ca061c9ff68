// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ProtocolConstants} from "../generated/ProtocolConstants.sol";
import {IJobMarket} from "../interfaces/IJobMarket.sol";
import {IResultVerifier} from "../interfaces/IResultVerifier.sol";
import {JobFlags} from "./JobFlags.sol";
import {ResultStatement} from "./ResultStatement.sol";

/// @title JobResults
/// @notice Result submission for JobMarket: a claimed job's chunks checked against its record, their proofs verified
///         (one job, or many in one batch), and the result recorded. A linked library: its functions are external
///         and run by delegatecall in the market's storage, so that the checks and the large ResultSubmitted event
///         stay out of JobMarket's bytecode (EIP-170). The caller is the market's caller (msg.sender is kept).
library JobResults {
    uint256 private constant CHUNK_BYTES = ProtocolConstants.CHUNK_BYTES;
    uint256 private constant BYTES_PER_ELEMENT = ProtocolConstants.BYTES_PER_ELEMENT;

    /// @notice What the market needs to submit results.
    /// @param verifier The market's Groth16 verifier.
    /// @param challengeWindow The window every recorded result gets.
    /// @param sampleBps Share of verifiable results sent to a committee unasked (0: none, and no coin is committed).
    struct Context {
        IResultVerifier verifier;
        uint40 challengeWindow;
        uint16 sampleBps;
    }

    /// @notice Checks, verifies and records one job's result; returns whether it may be sampled (its sample
    ///         coin is then committed by the market).
    function submit(
        mapping(uint256 => IJobMarket.Job) storage jobs,
        Context calldata context,
        uint256 jobId,
        IJobMarket.Result calldata result,
        uint256[8][] calldata proofs
    ) external returns (bool sampleable) {
        IJobMarket.Job storage job = _submittable(jobs, jobId);
        uint256 n = result.chunks.length;
        require(proofs.length == n, IJobMarket.SubmitProofCountInvalid(proofs.length, n));
        (uint256[3][] memory signals, uint256 tokens, uint256 byteLength) = _check(jobId, job, result);
        bool ok = n == 1 ? context.verifier.verifyProof(proofs[0], signals[0]) : context.verifier.verifyBatch(proofs, signals);
        require(ok, IJobMarket.SubmitProofInvalid());
        return _record(job, jobId, context, result, tokens, byteLength, proofs);
    }

    /// @notice Checks many jobs' results, verifies all their proofs with one `verifyBatch`, and records them; returns
    ///         which may be sampleable.
    function submitBatch(
        mapping(uint256 => IJobMarket.Job) storage jobs,
        Context calldata context,
        uint256[] calldata jobIds,
        IJobMarket.Result[] calldata results,
        uint256[8][] calldata proofs
    ) external returns (bool[] memory sampleable) {
        uint256 count = jobIds.length;
        require(results.length == count, IJobMarket.SubmitBatchLengthMismatch(count, results.length));
        uint256 total;
        for (uint256 i; i < count; ++i) {
            total += results[i].chunks.length;
        }
        require(proofs.length == total, IJobMarket.SubmitProofCountInvalid(proofs.length, total));
        (uint256[3][] memory signals, uint256[2][] memory sums) = _checkAll(jobs, jobIds, results, total);
        require(context.verifier.verifyBatch(proofs, signals), IJobMarket.SubmitProofInvalid());
        sampleable = _recordAll(jobs, context, jobIds, results, sums, proofs);
    }

    /// @dev Checks every job of a batch; returns all chunks' public signals and each job's [tokens, byteLength].
    function _checkAll(
        mapping(uint256 => IJobMarket.Job) storage jobs,
        uint256[] calldata jobIds,
        IJobMarket.Result[] calldata results,
        uint256 total
    ) private view returns (uint256[3][] memory signals, uint256[2][] memory sums) {
        signals = new uint256[3][](total);
        sums = new uint256[2][](jobIds.length);
        uint256 offset;
        for (uint256 i; i < jobIds.length; ++i) {
            uint256[3][] memory own;
            (own, sums[i][0], sums[i][1]) = _check(jobIds[i], _submittable(jobs, jobIds[i]), results[i]);
            for (uint256 k; k < own.length; ++k) {
                signals[offset + k] = own[k];
            }
            offset += own.length;
        }
    }

    /// @dev Records every result of a verified batch; returns which may be sampleable.
    function _recordAll(
        mapping(uint256 => IJobMarket.Job) storage jobs,
        Context calldata context,
        uint256[] calldata jobIds,
        IJobMarket.Result[] calldata results,
        uint256[2][] memory sums,
        uint256[8][] calldata proofs
    ) private returns (bool[] memory sampleable) {
        sampleable = new bool[](jobIds.length);
        uint256 offset;
        for (uint256 i; i < jobIds.length; ++i) {
            uint256 n = results[i].chunks.length;
            IJobMarket.Job storage job = jobs[jobIds[i]];
            // A job listed twice in one batch passes _check twice; only its first result is recorded.
            require(
                job.status == IJobMarket.JobStatus.Claimed,
                IJobMarket.JobNotInStatus(jobIds[i], job.status, IJobMarket.JobStatus.Claimed)
            );
            sampleable[i] = _record(job, jobIds[i], context, results[i], sums[i][0], sums[i][1], proofs[offset:offset + n]);
            offset += n;
        }
    }

    function _submittable(mapping(uint256 => IJobMarket.Job) storage jobs, uint256 jobId)
        private
        view
        returns (IJobMarket.Job storage job)
    {
        job = jobs[jobId];
        IJobMarket.JobStatus status = job.status;
        require(status != IJobMarket.JobStatus.None, IJobMarket.JobUnknown(jobId));
        require(
            status == IJobMarket.JobStatus.Claimed,
            IJobMarket.JobNotInStatus(jobId, status, IJobMarket.JobStatus.Claimed)
        );
        require(msg.sender == job.provider, IJobMarket.JobNotProvider(jobId, msg.sender));
        require(block.timestamp <= job.deadline, IJobMarket.JobDeadlinePassed(jobId, job.deadline));
    }

    /// @dev Checks a result's shape; returns its chunks' public signals, its billed tokens and its plaintext bytes.
    function _check(uint256 jobId, IJobMarket.Job storage job, IJobMarket.Result calldata result)
        private
        view
        returns (uint256[3][] memory signals, uint256 tokens, uint256 byteLength)
    {
        uint256 n = result.chunks.length;
        require(n > 0 && n <= ProtocolConstants.MAX_CHUNKS, IJobMarket.SubmitChunkCountInvalid(jobId, n));
        signals = new uint256[3][](n);
        uint256 maxTokens = job.maxOutputTokens;
        uint256 length;
        for (uint256 i; i < n; ++i) {
            IJobMarket.Chunk calldata chunk = result.chunks[i];
            length = _checkChunk(jobId, chunk, i, n);
            tokens += chunk.tokenCount;
            signals[i] = [
                chunk.outputCommitment,
                job.keyCommitment,
                ResultStatement.pack(jobId, job.provider, i, length, chunk.tokenCount, maxTokens)
            ];
        }
        // Every chunk but the last is full (CHUNK_BYTES, 64 elements), checked above; `length` is the last's.
        byteLength = (n - 1) * CHUNK_BYTES + length;
        uint256 elements = (n - 1) * ProtocolConstants.CHUNK_ELEMENTS + (length + BYTES_PER_ELEMENT - 1) / BYTES_PER_ELEMENT;
        require(tokens <= maxTokens, IJobMarket.SubmitTokensExceedMax(jobId, tokens, maxTokens));
        // The ciphertext is in calldata, exactly as long as the chunks say: zero elements for an empty output (a
        // model may stop at once), which is a result like any other. A URI is refused: see IJobMarket.Result.
        require(bytes(result.ciphertextURI).length == 0, IJobMarket.SubmitCiphertextURIUnsupported(jobId));
        require(
            result.ciphertext.length == elements,
            IJobMarket.SubmitCiphertextLengthInvalid(jobId, result.ciphertext.length, elements)
        );
    }

    /// @dev Every chunk but the last is full; the last holds 1..1984 bytes (0 only for an empty output); a chunk
    ///      bills at most a token per byte. Returns the chunk's length.
    function _checkChunk(uint256 jobId, IJobMarket.Chunk calldata chunk, uint256 i, uint256 n)
        private
        pure
        returns (uint256 length)
    {
        length = chunk.byteLength;
        bool lengthOk = i + 1 < n ? length == CHUNK_BYTES : (length <= CHUNK_BYTES && (length > 0 || n == 1));
        require(lengthOk, IJobMarket.SubmitChunkLengthInvalid(jobId, i, length));
        require(chunk.tokenCount <= length, IJobMarket.SubmitTokensExceedBytes(jobId, i, chunk.tokenCount, length));
    }

    /// @dev Records a checked and verified result. `proofs` are this job's chunk proofs, in chunk order: the event
    ///      carries them so that anyone can re-verify the result from logs alone, whoever submitted it (a batch, a
    ///      contract account). Returns whether the result may be sampleable.
    function _record(
        IJobMarket.Job storage job,
        uint256 jobId,
        Context calldata context,
        IJobMarket.Result calldata result,
        uint256 tokens,
        uint256 byteLength,
        uint256[8][] calldata proofs
    ) private returns (bool sampleable) {
        uint256 n = result.chunks.length;
        uint256[] memory commitments = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            commitments[i] = result.chunks[i].outputCommitment;
        }
        bytes32 outputRoot = keccak256(abi.encodePacked(commitments));
        bytes32 ciphertextHash = keccak256(abi.encodePacked(result.ciphertext));
        uint40 challengeEnd = uint40(block.timestamp) + context.challengeWindow;
        job.status = IJobMarket.JobStatus.Submitted;
        job.windowEnd = challengeEnd;
        // Cannot truncate: tokens <= maxOutputTokens < 2^24 and n <= 256 were checked in _check.
        job.tokenCount = uint24(tokens);
        job.chunkCount = uint16(n);
        job.outputRoot = outputRoot;
        job.ciphertextHash = ciphertextHash;
        emit IJobMarket.ResultSubmitted(
            jobId,
            job.provider,
            outputRoot,
            ciphertextHash,
            tokens,
            byteLength,
            challengeEnd,
            result.chunks,
            result.ciphertext,
            result.ciphertextURI,
            proofs
        );
        // Only a coin from a later block can decide the sample (JobMarket.readSampleCoin): one from this block
        // (prevrandao, this block's data) is known to the submitter, who could submit only when it says "not sampled".
        sampleable = context.sampleBps > 0 && job.flags & JobFlags.VERIFIABLE != 0;
    }
}
