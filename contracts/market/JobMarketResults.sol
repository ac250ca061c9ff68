// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IJobMarket} from "../interfaces/IJobMarket.sol";
import {ResultStatement} from "../libraries/ResultStatement.sol";
import {Settlement} from "../libraries/Settlement.sol";
import {JobMarketDisputes} from "./JobMarketDisputes.sol";

/// @title JobMarketResults
/// @notice JobMarket's result submission: a claimed job's chunks checked against its record, their proofs verified
///         (one job, or many in one batch), the result recorded, and a share of verifiable results sampled for a
///         committee. It builds on JobMarketDisputes because a sample opens a dispute.
abstract contract JobMarketResults is JobMarketDisputes {
    // ================================================================ submit

    /// @inheritdoc IJobMarket
    function submitResult(uint256 jobId, Result calldata result, uint256[8][] calldata proofs) external nonReentrant {
        Job storage job = _submittable(jobId);
        uint256 n = result.chunks.length;
        require(proofs.length == n, SubmitProofCountInvalid(proofs.length, n));
        uint256[3][] memory signals = new uint256[3][](n);
        (uint256 tokens, uint256 byteLength) = _checkResult(jobId, job, result, signals, 0);
        bool ok = n == 1 ? _VERIFIER.verifyProof(proofs[0], signals[0]) : _VERIFIER.verifyBatch(proofs, signals);
        require(ok, SubmitProofInvalid());
        _recordResult(jobId, result, [tokens, byteLength], proofs);
    }

    /// @inheritdoc IJobMarket
    function submitResults(uint256[] calldata jobIds, Result[] calldata results, uint256[8][] calldata proofs)
        external
        nonReentrant
    {
        uint256 jobs = jobIds.length;
        require(results.length == jobs, SubmitBatchLengthMismatch(jobs, results.length));
        uint256 total;
        for (uint256 i; i < jobs; ++i) {
            total += results[i].chunks.length;
        }
        require(proofs.length == total, SubmitProofCountInvalid(proofs.length, total));
        uint256[3][] memory signals = new uint256[3][](total);
        uint256[2][] memory sums = new uint256[2][](jobs);
        uint256 offset;
        for (uint256 i; i < jobs; ++i) {
            Job storage job = _submittable(jobIds[i]);
            (sums[i][0], sums[i][1]) = _checkResult(jobIds[i], job, results[i], signals, offset);
            offset += results[i].chunks.length;
        }
        require(_VERIFIER.verifyBatch(proofs, signals), SubmitProofInvalid());
        _recordResults(jobIds, results, proofs, sums);
    }

    // ================================================================ internals

    function _submittable(uint256 jobId) private view returns (Job storage job) {
        job = _jobWithStatus(jobId, JobStatus.Claimed);
        require(msg.sender == job.provider, JobNotProvider(jobId, msg.sender));
        require(block.timestamp <= job.deadline, JobDeadlinePassed(jobId, job.deadline));
    }

    /// @dev Checks a result's shape and writes its chunks' public signals into `signals` from `offset`.
    function _checkResult(
        uint256 jobId,
        Job storage job,
        Result calldata result,
        uint256[3][] memory signals,
        uint256 offset
    ) private view returns (uint256 tokens, uint256 byteLength) {
        uint256 n = result.chunks.length;
        require(n > 0 && n <= MAX_CHUNKS, SubmitChunkCountInvalid(n));
        uint256 keyCommitment = job.keyCommitment;
        uint256 maxTokens = job.maxOutputTokens;
        uint256 elements;
        for (uint256 i; i < n; ++i) {
            Chunk calldata chunk = result.chunks[i];
            uint256 length = chunk.byteLength;
            // Every chunk but the last is full; the last holds 1..1984 bytes (0 only for an empty output).
            bool lengthOk = i + 1 < n ? length == CHUNK_BYTES : (length <= CHUNK_BYTES && (length > 0 || n == 1));
            require(lengthOk, SubmitChunkLengthInvalid(i, length));
            require(chunk.tokenCount <= length, SubmitTokensExceedBytes(i, chunk.tokenCount, length));
            tokens += chunk.tokenCount;
            byteLength += length;
            elements += (length + BYTES_PER_ELEMENT - 1) / BYTES_PER_ELEMENT;
            signals[offset + i] = [
                chunk.outputCommitment,
                keyCommitment,
                ResultStatement.pack(jobId, job.provider, i, length, chunk.tokenCount, maxTokens)
            ];
        }
        require(tokens <= maxTokens, SubmitTokensExceedMax(tokens, maxTokens));
        // The ciphertext is in calldata, exactly as long as the chunks say: zero elements for an empty output (a
        // model may stop at once), which is a result like any other. A URI is refused: see IJobMarket.Result.
        require(bytes(result.ciphertextURI).length == 0, SubmitCiphertextURIUnsupported());
        require(result.ciphertext.length == elements, SubmitCiphertextLengthInvalid(result.ciphertext.length, elements));
    }

    function _recordResults(
        uint256[] calldata jobIds,
        Result[] calldata results,
        uint256[8][] calldata proofs,
        uint256[2][] memory sums
    ) private {
        uint256 offset;
        for (uint256 i; i < jobIds.length; ++i) {
            uint256 n = results[i].chunks.length;
            _recordResult(jobIds[i], results[i], sums[i], proofs[offset:offset + n]);
            offset += n;
        }
    }

    /// @dev `sums` = [tokens, byteLength] as computed by _checkResult. `proofs` are this job's chunk proofs, in chunk
    ///      order: the event carries them so that anyone can re-verify the result from logs alone, whoever submitted
    ///      it (a batch, a contract account).
    function _recordResult(uint256 jobId, Result calldata result, uint256[2] memory sums, uint256[8][] calldata proofs)
        private
    {
        Job storage job = _jobs[jobId];
        // A job listed twice in one batch passes _checkResult twice; only its first result is recorded.
        require(job.status == JobStatus.Claimed, JobNotInStatus(jobId, job.status, JobStatus.Claimed));
        uint256 n = result.chunks.length;
        uint256[] memory commitments = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            commitments[i] = result.chunks[i].outputCommitment;
        }
        bytes32 outputRoot = keccak256(abi.encodePacked(commitments));
        bytes32 ciphertextHash = keccak256(abi.encodePacked(result.ciphertext));
        uint40 challengeEnd = uint40(block.timestamp) + _challengeWindow;
        job.status = JobStatus.Submitted;
        job.windowEnd = challengeEnd;
        // Cannot truncate: sums[0] (tokens) <= maxOutputTokens < 2^24 and n <= 256 were checked in _checkResult.
        job.tokenCount = uint24(sums[0]);
        job.chunkCount = uint16(n);
        job.outputRoot = outputRoot;
        job.ciphertextHash = ciphertextHash;
        emit ResultSubmitted(
            jobId,
            job.provider,
            outputRoot,
            ciphertextHash,
            sums[0],
            sums[1],
            challengeEnd,
            result.chunks,
            result.ciphertext,
            result.ciphertextURI,
            proofs
        );
        uint16 sampleBps = _sampleBps;
        if (sampleBps > 0 && job.flags & _FLAG_VERIFIABLE != 0) {
            if (uint256(keccak256(abi.encode(block.prevrandao, jobId))) % Settlement.BPS < sampleBps) {
                // Drawn later like any dispute; a sample that finds no committee settles for the provider.
                _openDispute(jobId, job, address(0));
            }
        }
    }
}
