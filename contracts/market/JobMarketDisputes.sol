// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IJobMarket} from "../interfaces/IJobMarket.sol";
import {IStakingRegistry} from "../interfaces/IStakingRegistry.sol";
import {Committee} from "../libraries/Committee.sol";
import {OutputDigest} from "../libraries/OutputDigest.sol";
import {JobMarketStorage} from "./JobMarketStorage.sol";

/// @title JobMarketDisputes
/// @notice JobMarket's challenges of a submitted result: a user's dispute (or a random sample) put to a committee
///         drawn from the model's providers, the committee's votes, and the ciphertext fraud proof that anyone can
///         bring. Each ends in a settlement or a slash of the provider's collateral.
abstract contract JobMarketDisputes is JobMarketStorage {
    using SafeERC20 for IERC20;

    // ================================================================ disputes and fraud proofs

    /// @inheritdoc IJobMarket
    function dispute(uint256 jobId) external nonReentrant {
        Job storage job = _jobWithStatus(jobId, JobStatus.Submitted);
        require(msg.sender == job.user, JobNotUser(jobId, msg.sender));
        require(block.timestamp < job.windowEnd, JobWindowClosed(jobId, job.windowEnd));
        _openDispute(jobId, job, msg.sender);
    }

    /// @inheritdoc IJobMarket
    function drawCommittee(uint256 jobId) external nonReentrant {
        Job storage job = _jobWithStatus(jobId, JobStatus.Disputed);
        Committee.Dispute storage d = _disputes[jobId];
        uint256 drawBlock = d.drawBlock;
        require(drawBlock != 0, DisputeAlreadyDrawn(jobId));
        require(
            block.number > drawBlock && block.number <= drawBlock + Committee.DRAW_BLOCKS,
            DisputeDrawOutsideWindow(jobId, drawBlock, block.number)
        );
        uint256 seed = uint256(keccak256(abi.encode(blockhash(drawBlock), jobId)));
        address[] memory committee = Committee.draw(_STAKING, seed, job.provider, job.modelId, job.minTier);
        d.drawBlock = 0;
        Committee.store(d, committee);
        // Fewer than a quorum can never decide: the dispute settles for the provider at once, as without quorum.
        uint40 disputeEnd =
            uint40(block.timestamp) + (committee.length >= Committee.QUORUM ? _disputeWindow : uint40(0));
        job.windowEnd = disputeEnd;
        emit JobDisputed(jobId, d.disputer, committee, disputeEnd);
    }

    /// @inheritdoc IJobMarket
    /// @dev A dispute reveals the job to the committee (the user's choice, by disputing); nothing else can: the prompt
    ///      is sealed to the provider. The wraps are checked off-chain only (a member that cannot open its wrap waits for another).
    function revealJobSecret(uint256 jobId, bytes32 ephemeralPublicKey, bytes[] calldata wrappedSecrets) external {
        Job storage job = _jobWithStatus(jobId, JobStatus.Disputed);
        require(msg.sender == job.user || msg.sender == job.provider, DisputeNotParty(jobId, msg.sender));
        uint256 drawBlock = _disputes[jobId].drawBlock;
        require(drawBlock == 0, DisputeNotDrawn(jobId, drawBlock));
        require(block.timestamp < job.windowEnd, JobWindowClosed(jobId, job.windowEnd));
        uint256 size = _disputes[jobId].size;
        require(wrappedSecrets.length == size, DisputeRevealCountInvalid(wrappedSecrets.length, size));
        emit JobSecretRevealed(jobId, msg.sender, ephemeralPublicKey, wrappedSecrets);
    }

    /// @inheritdoc IJobMarket
    function voteOnDispute(uint256 jobId, bool providerAtFault) external nonReentrant {
        Job storage job = _jobWithStatus(jobId, JobStatus.Disputed);
        require(block.timestamp < job.windowEnd, JobWindowClosed(jobId, job.windowEnd));
        Committee.Dispute storage d = _disputes[jobId];
        (bool member, bool voted) = Committee.ballot(d, msg.sender);
        require(member, DisputeNotCommitteeMember(jobId, msg.sender));
        require(!voted, DisputeAlreadyVoted(jobId, msg.sender));
        (uint8 faultVotes, uint8 cleanVotes) = Committee.vote(d, msg.sender, providerAtFault);
        emit DisputeVoted(jobId, msg.sender, providerAtFault);
        if (faultVotes >= Committee.QUORUM) {
            _slashJob(jobId, job, job.user);
        } else if (cleanVotes >= Committee.QUORUM) {
            (address provider, IERC20 token, uint256 amount) = _settle(jobId, job);
            _pay(token, provider, amount);
            _notify(jobId, job);
        }
    }

    /// @inheritdoc IJobMarket
    /// @dev Accepted while the job is Submitted or Disputed, i.e. until its money moves. After finalization the
    ///      escrow is gone, and staking-token collateral is no measure of a payment-token loss, so a late fraud
    ///      proof is not accepted: users (or watchers acting for them) check the posted ciphertext within the
    ///      challenge window, which is what the window is for.
    function proveCiphertextMismatch(
        uint256 jobId,
        uint256 chunkIndex,
        uint256[] calldata ciphertext,
        uint256[] calldata outputCommitments
    ) external nonReentrant {
        Job storage job = _jobs[jobId];
        JobStatus status = job.status;
        require(
            status == JobStatus.Submitted || status == JobStatus.Disputed,
            JobNotInStatus(jobId, status, JobStatus.Submitted)
        );
        (uint256 digest, uint256 proven) = _postedDigest(job, chunkIndex, ciphertext, outputCommitments);
        require(digest != proven, FraudProofDigestMatches(chunkIndex, digest));
        emit CiphertextMismatchProven(jobId, chunkIndex, digest, proven);
        // The collateral goes to the user, whose result was withheld behind a false ciphertext: that repairs the
        // harm, and it cannot be collected by the accused itself proving its own fraud from another account (nor
        // front-run away from a watcher, who has nothing to race for).
        _slashJob(jobId, job, job.user);
    }

    // ================================================================ views

    /// @inheritdoc IJobMarket
    function getDispute(uint256 jobId)
        external
        view
        returns (address[] memory committee, uint8 faultVotes, uint8 cleanVotes)
    {
        return Committee.read(_disputes[jobId]);
    }

    // ================================================================ internals

    /// @dev Commits a dispute to the hash of the next block; `drawCommittee` draws from it later. Until drawn the
    ///      job cannot be finalized by time (windowEnd is the maximum): only the lapse of the draw window settles it.
    function _openDispute(uint256 jobId, Job storage job, address disputer) internal {
        Committee.Dispute storage d = _disputes[jobId];
        uint64 drawBlock = uint64(block.number + 1);
        d.drawBlock = drawBlock;
        d.disputer = disputer;
        job.status = JobStatus.Disputed;
        job.windowEnd = type(uint40).max;
        emit DisputeOpened(jobId, disputer, drawBlock);
        _STAKING.recordOutcome(job.provider, jobId, IStakingRegistry.Outcome.Disputed);
    }

    /// @dev Checks the posted ciphertext and commitments against the job's record; returns the Poseidon digest of
    ///      chunk `chunkIndex` as posted (its elements, zero-padded to 64) and the commitment its proof proved.
    ///      Every chunk but the last is 64 elements, so chunk i starts at element 64·i.
    function _postedDigest(
        Job storage job,
        uint256 chunkIndex,
        uint256[] calldata ciphertext,
        uint256[] calldata outputCommitments
    ) private view returns (uint256 digest, uint256 proven) {
        bytes32 posted = keccak256(abi.encodePacked(ciphertext));
        require(posted == job.ciphertextHash, FraudProofCiphertextMismatch(posted, job.ciphertextHash));
        bytes32 root = keccak256(abi.encodePacked(outputCommitments));
        require(root == job.outputRoot, FraudProofCommitmentsMismatch(root, job.outputRoot));
        require(chunkIndex < outputCommitments.length, FraudProofChunkIndexInvalid(chunkIndex, outputCommitments.length));
        uint256 start = chunkIndex * CHUNK_ELEMENTS;
        uint256 end = start + CHUNK_ELEMENTS;
        if (end > ciphertext.length) end = ciphertext.length;
        if (start > end) start = end;
        digest = OutputDigest.digest(ciphertext[start:end]);
        proven = outputCommitments[chunkIndex];
    }

    /// @dev Fraud or a committee verdict: the user gets the whole escrow back; the collateral goes to `recipient`.
    function _slashJob(uint256 jobId, Job storage job, address recipient) private {
        address provider = job.provider;
        uint80 collateral = job.collateral;
        uint256 refund = _escrowOf(job);
        job.status = JobStatus.Slashed;
        emit JobSlashed(jobId, provider, recipient, refund, collateral);
        _STAKING.slash(provider, jobId, collateral, collateral, recipient, IStakingRegistry.Outcome.Slashed);
        _pay(_paymentToken(job), job.user, refund);
        _notify(jobId, job);
    }
}
