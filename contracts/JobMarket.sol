// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IJobMarket} from "./interfaces/IJobMarket.sol";
import {IJobConsumer} from "./interfaces/IJobConsumer.sol";
import {IModelRegistry} from "./interfaces/IModelRegistry.sol";
import {IResultVerifier} from "./interfaces/IResultVerifier.sol";
import {IStakingRegistry} from "./interfaces/IStakingRegistry.sol";
import {BoundedCall} from "./libraries/BoundedCall.sol";
import {Committee} from "./libraries/Committee.sol";
import {OutputDigest} from "./libraries/OutputDigest.sol";
import {ResultStatement} from "./libraries/ResultStatement.sol";
import {Settlement} from "./libraries/Settlement.sol";

/// @title JobMarket
/// @notice See IJobMarket. Immutable: the verifier, the staking registry and the model registry are fixed at
///         deployment. Governance (PARAMS_ROLE, meant for a timelock) sets bounded parameters that apply to jobs
///         created or claimed afterwards; PAUSER_ROLE stops new jobs and claims. No role has a path to escrow: every
///         transfer out goes to a job's user, its provider, a fraud prover or (fees only) the treasury.
contract JobMarket is IJobMarket, AccessControl, Pausable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    bytes32 public constant PARAMS_ROLE = keccak256("PARAMS_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice The protocol fee can never exceed 10% of a payment.
    uint16 public constant MAX_FEE_BPS = 1_000;
    /// @notice Job collateral can never exceed 1,000,000 staking tokens (18 decimals).
    uint80 public constant MAX_COLLATERAL = 1e24;
    /// @notice Gas given to a consumer's `onJobFinalized`.
    uint256 public constant CALLBACK_GAS_LIMIT = 150_000;
    /// @notice Plaintext bytes per proven chunk (64 elements × 31 bytes).
    uint256 public constant CHUNK_BYTES = 1_984;
    uint256 public constant BYTES_PER_ELEMENT = 31;
    uint256 public constant CHUNK_ELEMENTS = 64;
    uint256 public constant MAX_CHUNKS = 256;
    /// @notice Output tokens fit the statement's 20-bit field.
    uint256 public constant MAX_OUTPUT_TOKENS = (1 << 20) - 1;
    uint256 private constant _FIELD_ORDER =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint40 private constant _MIN_WINDOW = 10 minutes;
    uint40 private constant _MAX_WINDOW = 30 days;
    uint8 private constant _TIER_COUNT = 3;

    uint8 private constant _FLAG_VERIFIABLE = 1;
    uint8 private constant _FLAG_CALLBACK = 2;
    uint8 private constant _FLAG_KEY_DELIVERED = 4;
    uint8 private constant _FLAG_NAMED = 8;

    IResultVerifier private immutable _VERIFIER;
    IStakingRegistry private immutable _STAKING;
    IModelRegistry private immutable _MODELS;

    // Parameters, one slot: 40 + 16 + 40 × 3 + 16 + 80 = 272 bits, so two slots.
    uint40 private _nextJobId = 1;
    uint16 private _feeBps;
    uint40 private _challengeWindow;
    uint40 private _disputeWindow;
    uint40 private _keyDeliveryWindow;
    uint16 private _sampleBps;
    uint80 private _collateral;
    address private _treasury;

    mapping(uint256 jobId => Job) private _jobs;
    mapping(uint256 jobId => Committee.Dispute) private _disputes;
    mapping(address token => uint256) private _fees;
    mapping(address token => uint8 id) private _paymentTokenIds;
    mapping(uint8 id => bool) private _paymentTokenAllowed;
    address[] private _paymentTokens;

    /// @param verifier The Groth16 result verifier (IResultVerifier).
    /// @param staking The staking registry; it must bind this market (`bindJobMarket`) before the first claim.
    /// @param models The model registry.
    /// @param admin Governance: DEFAULT_ADMIN_ROLE, PARAMS_ROLE and PAUSER_ROLE.
    /// @param treasury Receives protocol fees.
    constructor(
        IResultVerifier verifier,
        IStakingRegistry staking,
        IModelRegistry models,
        address admin,
        address treasury
    ) {
        require(treasury != address(0), GovernanceZeroAddress());
        _VERIFIER = verifier;
        _STAKING = staking;
        _MODELS = models;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PARAMS_ROLE, admin);
        _grantRole(PAUSER_ROLE, admin);
        _treasury = treasury;
        _feeBps = 250;
        _challengeWindow = 1 hours;
        _disputeWindow = 1 days;
        _keyDeliveryWindow = 15 minutes;
        _collateral = 100e18;
    }

    // ================================================================ create / cancel

    /// @inheritdoc IJobMarket
    function createJob(
        JobRequest calldata request,
        bytes calldata envelope,
        string calldata envelopeURI,
        bytes32 envelopeHash
    ) external nonReentrant whenNotPaused returns (uint256) {
        return _create(request, envelope, envelopeURI, envelopeHash);
    }

    /// @inheritdoc IJobMarket
    function createJobWithPermit(
        JobRequest calldata request,
        bytes calldata envelope,
        string calldata envelopeURI,
        bytes32 envelopeHash,
        uint256 permitDeadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant whenNotPaused returns (uint256) {
        uint256 escrow = Settlement.escrow(request.maxOutputTokens, request.maxPricePerToken);
        // A front-runner may have used the permit already; the transfer in `_create` still needs the allowance.
        try IERC20Permit(request.paymentToken).permit(msg.sender, address(this), escrow, permitDeadline, v, r, s) {}
            catch {}
        return _create(request, envelope, envelopeURI, envelopeHash);
    }

    /// @inheritdoc IJobMarket
    function cancelJob(uint256 jobId) external nonReentrant {
        Job storage job = _jobWithStatus(jobId, JobStatus.Open);
        require(msg.sender == job.user || block.timestamp > job.deadline, JobNotUser(jobId, msg.sender));
        job.status = JobStatus.Cancelled;
        uint256 refund = _escrowOf(job);
        emit JobCancelled(jobId, job.user, refund);
        _paymentToken(job).safeTransfer(job.user, refund);
        _notify(jobId, job);
    }

    // ================================================================ claim / key / release

    /// @inheritdoc IJobMarket
    function claimJob(uint256 jobId) external nonReentrant whenNotPaused {
        Job storage job = _jobWithStatus(jobId, JobStatus.Open);
        require(block.timestamp < job.deadline, JobDeadlinePassed(jobId, job.deadline));
        uint8 flags = job.flags;
        if (flags & _FLAG_NAMED != 0) require(msg.sender == job.provider, JobNotNamedProvider(jobId, job.provider));
        require(
            _MODELS.getModel(job.modelId).status != IModelRegistry.ModelStatus.Retired, ClaimModelRetired(job.modelId)
        );
        uint80 collateral = _collateral;
        uint128 price = _STAKING.lockForJob(
            msg.sender, jobId, job.modelId, address(_paymentToken(job)), job.minTier, job.maxPricePerToken, collateral
        );
        uint40 keyDeadline = flags & _FLAG_KEY_DELIVERED != 0 ? 0 : uint40(block.timestamp) + _keyDeliveryWindow;
        job.status = JobStatus.Claimed;
        job.provider = msg.sender;
        job.windowEnd = keyDeadline;
        // price <= maxPricePerToken < 2^80, checked by the registry.
        job.pricePerToken = uint80(price);
        job.collateral = collateral;
        emit JobClaimed(jobId, msg.sender, price, collateral, keyDeadline);
    }

    /// @inheritdoc IJobMarket
    function deliverJobKey(uint256 jobId, bytes32 ephemeralPublicKey, bytes calldata wrappedSecret) external {
        Job storage job = _jobWithStatus(jobId, JobStatus.Claimed);
        require(msg.sender == job.user, JobNotUser(jobId, msg.sender));
        require(job.flags & _FLAG_KEY_DELIVERED == 0, JobKeyAlreadyDelivered(jobId));
        job.flags |= _FLAG_KEY_DELIVERED;
        emit JobKeyDelivered(jobId, job.provider, ephemeralPublicKey, wrappedSecret);
    }

    /// @inheritdoc IJobMarket
    function releaseJob(uint256 jobId, ReleaseReason reason) external nonReentrant {
        Job storage job = _jobWithStatus(jobId, JobStatus.Claimed);
        address provider = job.provider;
        require(msg.sender == provider, JobNotProvider(jobId, msg.sender));
        require(reason != ReleaseReason.None, ReleaseReasonInvalid(reason));
        if (reason == ReleaseReason.KeyNotDelivered) {
            require(job.flags & _FLAG_KEY_DELIVERED == 0, JobKeyAlreadyDelivered(jobId));
            require(block.timestamp >= job.windowEnd, JobWindowOpen(jobId, job.windowEnd));
        }
        uint80 collateral = job.collateral;
        if (reason <= ReleaseReason.KeyNotDelivered) {
            // A fault of the input (or of the user's key delivery): the user gets everything back.
            job.status = JobStatus.Refunded;
            uint256 refund = _escrowOf(job);
            emit JobReleased(jobId, provider, reason, refund);
            _STAKING.unlock(provider, jobId, collateral, IStakingRegistry.Outcome.Released);
            _paymentToken(job).safeTransfer(job.user, refund);
            _notify(jobId, job);
        } else {
            // A fault of the provider: the job is open again to anyone, and needs its key delivered again.
            job.status = JobStatus.Open;
            job.provider = address(0);
            job.windowEnd = 0;
            job.pricePerToken = 0;
            job.collateral = 0;
            job.flags &= ~(_FLAG_NAMED | _FLAG_KEY_DELIVERED);
            emit JobReleased(jobId, provider, reason, 0);
            _STAKING.unlock(provider, jobId, collateral, IStakingRegistry.Outcome.Released);
        }
    }

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
        _recordResult(jobId, result, [tokens, byteLength], keccak256(abi.encode(proofs)));
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

    // ================================================================ disputes and fraud proofs

    /// @inheritdoc IJobMarket
    function dispute(uint256 jobId) external nonReentrant {
        Job storage job = _jobWithStatus(jobId, JobStatus.Submitted);
        require(msg.sender == job.user, JobNotUser(jobId, msg.sender));
        require(job.flags & _FLAG_VERIFIABLE != 0, JobNotVerifiable(jobId));
        require(block.timestamp < job.windowEnd, JobWindowClosed(jobId, job.windowEnd));
        uint256 drawn = _openDispute(jobId, job, msg.sender);
        require(drawn >= Committee.QUORUM, DisputeCommitteeUnavailable(jobId, drawn, Committee.QUORUM));
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
            if (amount > 0) token.safeTransfer(provider, amount);
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
        _slashJob(jobId, job, msg.sender);
    }

    // ================================================================ finalize / timeout / fees

    /// @inheritdoc IJobMarket
    function finalize(uint256 jobId) external nonReentrant {
        Job storage job = _finalizable(jobId);
        (address provider, IERC20 token, uint256 amount) = _settle(jobId, job);
        if (amount > 0) token.safeTransfer(provider, amount);
        _notify(jobId, job);
    }

    /// @inheritdoc IJobMarket
    function finalizeBatch(uint256[] calldata jobIds) external nonReentrant {
        // Payouts to one provider in one token accumulate across consecutive jobs and move in one transfer.
        address pendingProvider;
        IERC20 pendingToken;
        uint256 pendingAmount;
        for (uint256 i; i < jobIds.length; ++i) {
            Job storage job = _finalizable(jobIds[i]);
            (address provider, IERC20 token, uint256 amount) = _settle(jobIds[i], job);
            if (provider != pendingProvider || token != pendingToken) {
                if (pendingAmount > 0) pendingToken.safeTransfer(pendingProvider, pendingAmount);
                (pendingProvider, pendingToken, pendingAmount) = (provider, token, 0);
            }
            pendingAmount += amount;
        }
        if (pendingAmount > 0) pendingToken.safeTransfer(pendingProvider, pendingAmount);
        for (uint256 i; i < jobIds.length; ++i) {
            _notify(jobIds[i], _jobs[jobIds[i]]);
        }
    }

    /// @inheritdoc IJobMarket
    function timeoutJob(uint256 jobId) external nonReentrant {
        Job storage job = _jobWithStatus(jobId, JobStatus.Claimed);
        require(block.timestamp > job.deadline, JobDeadlineNotPassed(jobId, job.deadline));
        address provider = job.provider;
        uint80 collateral = job.collateral;
        uint256 refund = _escrowOf(job);
        if (job.flags & _FLAG_KEY_DELIVERED != 0) {
            job.status = JobStatus.TimedOut;
            emit JobTimedOut(jobId, provider, refund, collateral);
            _STAKING.slash(provider, jobId, collateral, collateral, job.user, IStakingRegistry.Outcome.TimedOut);
        } else {
            // The provider never had the key: nothing to blame it for.
            job.status = JobStatus.Refunded;
            emit JobReleased(jobId, provider, ReleaseReason.KeyNotDelivered, refund);
            _STAKING.unlock(provider, jobId, collateral, IStakingRegistry.Outcome.Released);
        }
        _paymentToken(job).safeTransfer(job.user, refund);
        _notify(jobId, job);
    }

    /// @inheritdoc IJobMarket
    function withdrawFees(address token) external nonReentrant {
        uint256 amount = _fees[token];
        _fees[token] = 0;
        emit FeesWithdrawn(token, _treasury, amount);
        if (amount > 0) IERC20(token).safeTransfer(_treasury, amount);
    }

    // ================================================================ governance (no path to funds)

    function setFeeBps(uint16 feeBps) external onlyRole(PARAMS_ROLE) {
        require(feeBps <= MAX_FEE_BPS, GovernanceFeeTooHigh(feeBps, MAX_FEE_BPS));
        _feeBps = feeBps;
        emit FeeSet(feeBps);
    }

    function setTreasury(address treasury) external onlyRole(PARAMS_ROLE) {
        require(treasury != address(0), GovernanceZeroAddress());
        _treasury = treasury;
        emit TreasurySet(treasury);
    }

    /// @dev Disallowing a token stops new jobs in it; live jobs still settle in it.
    function setPaymentToken(address token, bool allowed) external onlyRole(PARAMS_ROLE) {
        require(token != address(0), GovernanceZeroAddress());
        uint8 id = _paymentTokenIds[token];
        if (id == 0) {
            require(_paymentTokens.length < type(uint8).max, GovernanceTooManyTokens());
            _paymentTokens.push(token);
            // Cannot overflow: length < 255 was checked above.
            id = uint8(_paymentTokens.length);
            _paymentTokenIds[token] = id;
        }
        _paymentTokenAllowed[id] = allowed;
        emit PaymentTokenSet(token, allowed);
    }

    /// @dev Each window within [10 minutes, 30 days]; a window applies from the next step that starts it.
    function setWindows(uint40 challengeWindow, uint40 disputeWindow, uint40 keyDeliveryWindow)
        external
        onlyRole(PARAMS_ROLE)
    {
        _checkWindow(challengeWindow);
        _checkWindow(disputeWindow);
        _checkWindow(keyDeliveryWindow);
        (_challengeWindow, _disputeWindow, _keyDeliveryWindow) = (challengeWindow, disputeWindow, keyDeliveryWindow);
        emit WindowsSet(challengeWindow, disputeWindow, keyDeliveryWindow);
    }

    /// @dev Applies to claims made afterwards; each job keeps the collateral it locked.
    function setCollateral(uint80 collateral) external onlyRole(PARAMS_ROLE) {
        require(collateral <= MAX_COLLATERAL, GovernanceCollateralTooHigh(collateral, MAX_COLLATERAL));
        _collateral = collateral;
        emit CollateralSet(collateral);
    }

    /// @dev Share of verifiable results sent to a committee without a user dispute, in basis points.
    function setSampleBps(uint16 sampleBps) external onlyRole(PARAMS_ROLE) {
        require(sampleBps <= Settlement.BPS, GovernanceSampleRateTooHigh(sampleBps));
        _sampleBps = sampleBps;
        emit SampleRateSet(sampleBps);
    }

    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    // ================================================================ views

    /// @inheritdoc IJobMarket
    function getJob(uint256 jobId) external view returns (Job memory) {
        return _jobs[jobId];
    }

    /// @inheritdoc IJobMarket
    function getReceipt(uint256 jobId) external view returns (Receipt memory) {
        return _receipt(jobId);
    }

    /// @inheritdoc IJobMarket
    function getDispute(uint256 jobId)
        external
        view
        returns (address[] memory committee, uint8 faultVotes, uint8 cleanVotes)
    {
        return Committee.read(_disputes[jobId]);
    }

    /// @inheritdoc IJobMarket
    function nextJobId() external view returns (uint256) {
        return _nextJobId;
    }

    /// @inheritdoc IJobMarket
    function accruedFees(address token) external view returns (uint256) {
        return _fees[token];
    }

    /// @notice Current parameters.
    function parameters()
        external
        view
        returns (
            uint16 feeBps,
            uint40 challengeWindow,
            uint40 disputeWindow,
            uint40 keyDeliveryWindow,
            uint16 sampleBps,
            uint80 collateral,
            address treasury
        )
    {
        return (_feeBps, _challengeWindow, _disputeWindow, _keyDeliveryWindow, _sampleBps, _collateral, _treasury);
    }

    /// @notice The payment token behind an allow-list id, and whether it is allowed for new jobs.
    function paymentToken(uint8 id) external view returns (address token, bool allowed) {
        return (id == 0 || id > _paymentTokens.length ? address(0) : _paymentTokens[id - 1], _paymentTokenAllowed[id]);
    }

    /// @notice The immutable dependencies.
    function dependencies() external view returns (address verifier, address staking, address models) {
        return (address(_VERIFIER), address(_STAKING), address(_MODELS));
    }

    // ================================================================ internals

    function _create(
        JobRequest calldata request,
        bytes calldata envelope,
        string calldata envelopeURI,
        bytes32 envelopeHash
    ) private returns (uint256 jobId) {
        (uint8 tokenId, uint8 modelMinTier) = _validate(request);
        bytes32 inputHash;
        if (envelope.length > 0) {
            inputHash = keccak256(envelope);
        } else {
            require(bytes(envelopeURI).length > 0 && envelopeHash != bytes32(0), CreateInputMissing());
            inputHash = envelopeHash;
        }

        jobId = _nextJobId;
        require(jobId < 1 << 40, JobIdSpaceExhausted());
        // Cannot overflow: jobId < 2^40 was checked above.
        unchecked {
            _nextJobId = uint40(jobId + 1);
        }
        uint8 flags = (request.verifiable ? _FLAG_VERIFIABLE : 0) | (request.callback ? _FLAG_CALLBACK : 0);
        if (request.provider != address(0)) flags |= _FLAG_NAMED | _FLAG_KEY_DELIVERED;

        Job storage job = _jobs[jobId];
        job.user = msg.sender;
        job.deadline = request.deadline;
        job.maxOutputTokens = request.maxOutputTokens;
        job.status = JobStatus.Open;
        job.minTier = request.minTier > modelMinTier ? request.minTier : modelMinTier;
        job.flags = flags;
        job.paymentTokenId = tokenId;
        if (request.provider != address(0)) job.provider = request.provider;
        job.feeBps = _feeBps;
        job.maxPricePerToken = request.maxPricePerToken;
        job.modelId = request.modelId;
        job.keyCommitment = request.keyCommitment;

        uint256 escrow = Settlement.escrow(request.maxOutputTokens, request.maxPricePerToken);
        emit JobCreated(jobId, msg.sender, request.modelId, request, escrow, inputHash, envelope, envelopeURI);
        IERC20(request.paymentToken).safeTransferFrom(msg.sender, address(this), escrow);
    }

    /// @dev Checks a request; returns its payment token's id and its model's minimum tier.
    function _validate(JobRequest calldata request) private view returns (uint8 tokenId, uint8 modelMinTier) {
        tokenId = _paymentTokenIds[request.paymentToken];
        require(_paymentTokenAllowed[tokenId], CreatePaymentTokenNotAllowed(request.paymentToken));
        IModelRegistry.Model memory model = _MODELS.getModel(request.modelId);
        require(model.status == IModelRegistry.ModelStatus.Active, CreateModelNotActive(request.modelId));
        require(
            request.maxOutputTokens > 0 && request.maxOutputTokens <= MAX_OUTPUT_TOKENS,
            CreateMaxTokensInvalid(request.maxOutputTokens)
        );
        require(request.maxPricePerToken > 0, CreatePriceZero());
        require(request.deadline > block.timestamp, CreateDeadlineInvalid(request.deadline));
        require(request.minTier < _TIER_COUNT, CreateTierInvalid(request.minTier));
        require(request.keyCommitment < _FIELD_ORDER, CreateKeyCommitmentInvalid(request.keyCommitment));
        modelMinTier = model.minTier;
    }

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
        // Without a URI the ciphertext is in calldata, exactly as long as the chunks say: zero elements for an empty
        // output (a model may stop at once), which is a result like any other. With a URI, calldata carries none.
        if (bytes(result.ciphertextURI).length == 0) {
            require(
                result.ciphertext.length == elements, SubmitCiphertextLengthInvalid(result.ciphertext.length, elements)
            );
        } else {
            require(result.ciphertext.length == 0, SubmitCiphertextLengthInvalid(result.ciphertext.length, 0));
            require(result.ciphertextHash != bytes32(0), SubmitCiphertextMissing());
        }
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
            _recordResult(jobIds[i], results[i], sums[i], keccak256(abi.encode(proofs[offset:offset + n])));
            offset += n;
        }
    }

    /// @dev `sums` = [tokens, byteLength] as computed by _checkResult.
    function _recordResult(uint256 jobId, Result calldata result, uint256[2] memory sums, bytes32 proofHash) private {
        Job storage job = _jobs[jobId];
        // A job listed twice in one batch passes _checkResult twice; only its first result is recorded.
        require(job.status == JobStatus.Claimed, JobNotInStatus(jobId, job.status, JobStatus.Claimed));
        uint256 n = result.chunks.length;
        uint256[] memory commitments = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            commitments[i] = result.chunks[i].outputCommitment;
        }
        bytes32 outputRoot = keccak256(abi.encodePacked(commitments));
        bytes32 ciphertextHash = bytes(result.ciphertextURI).length == 0
            ? keccak256(abi.encodePacked(result.ciphertext))
            : result.ciphertextHash;
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
            proofHash,
            challengeEnd,
            result.chunks,
            result.ciphertext,
            result.ciphertextURI
        );
        uint16 sampleBps = _sampleBps;
        if (sampleBps > 0 && job.flags & _FLAG_VERIFIABLE != 0) {
            if (uint256(keccak256(abi.encode(block.prevrandao, jobId))) % Settlement.BPS < sampleBps) {
                // A sample that finds no committee is skipped: the job goes on to finalize normally.
                _openDispute(jobId, job, address(0));
            }
        }
    }

    /// @dev Draws a committee; opens the dispute only when a quorum could be drawn. Returns the number drawn.
    function _openDispute(uint256 jobId, Job storage job, address disputer) private returns (uint256 drawn) {
        address[] memory pool = _STAKING.providersForModel(job.modelId);
        uint256 seed = uint256(keccak256(abi.encode(block.prevrandao, blockhash(block.number - 1), jobId)));
        address[] memory committee = Committee.draw(_STAKING, pool, seed, job.provider, job.modelId, job.minTier);
        drawn = committee.length;
        if (drawn < Committee.QUORUM) return drawn;
        Committee.store(_disputes[jobId], committee);
        uint40 disputeEnd = uint40(block.timestamp) + _disputeWindow;
        job.status = JobStatus.Disputed;
        job.windowEnd = disputeEnd;
        emit JobDisputed(jobId, disputer, committee, disputeEnd);
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

    function _finalizable(uint256 jobId) private view returns (Job storage job) {
        job = _jobs[jobId];
        JobStatus status = job.status;
        require(
            status == JobStatus.Submitted || status == JobStatus.Disputed,
            JobNotInStatus(jobId, status, JobStatus.Submitted)
        );
        require(block.timestamp >= job.windowEnd, JobWindowOpen(jobId, job.windowEnd));
    }

    /// @dev Marks the job Finalized, books the fee, refunds the user and unlocks the collateral; returns the
    ///      provider's payout for the caller to transfer (so batches can aggregate it).
    function _settle(uint256 jobId, Job storage job) private returns (address provider, IERC20 token, uint256 paid) {
        provider = job.provider;
        token = _paymentToken(job);
        (uint256 providerAmount, uint256 fee, uint256 refund) =
            Settlement.split(_escrowOf(job), job.tokenCount, job.pricePerToken, job.feeBps);
        job.status = JobStatus.Finalized;
        _fees[address(token)] += fee;
        emit JobFinalized(jobId, provider, job.user, job.tokenCount, providerAmount, fee, refund);
        _STAKING.unlock(provider, jobId, job.collateral, IStakingRegistry.Outcome.Completed);
        if (refund > 0) token.safeTransfer(job.user, refund);
        paid = providerAmount;
    }

    /// @dev Fraud or a committee verdict: the user gets the whole escrow back; the collateral goes to `recipient`.
    function _slashJob(uint256 jobId, Job storage job, address recipient) private {
        address provider = job.provider;
        uint80 collateral = job.collateral;
        uint256 refund = _escrowOf(job);
        job.status = JobStatus.Slashed;
        emit JobSlashed(jobId, provider, recipient, refund, collateral);
        _STAKING.slash(provider, jobId, collateral, collateral, recipient, IStakingRegistry.Outcome.Slashed);
        _paymentToken(job).safeTransfer(job.user, refund);
        _notify(jobId, job);
    }

    /// @dev Calls a consumer's `onJobFinalized` with a fixed gas cap; its failure changes nothing.
    function _notify(uint256 jobId, Job storage job) private {
        if (job.flags & _FLAG_CALLBACK == 0) return;
        address consumer = job.user;
        bytes memory data = abi.encodeCall(IJobConsumer.onJobFinalized, (_receipt(jobId)));
        bool success = BoundedCall.call(consumer, CALLBACK_GAS_LIMIT, data);
        emit ConsumerNotified(jobId, consumer, success);
    }

    function _receipt(uint256 jobId) private view returns (Receipt memory receipt) {
        Job storage job = _jobs[jobId];
        receipt.jobId = jobId;
        receipt.job = job;
        if (job.status == JobStatus.None) return receipt;
        receipt.paymentToken = address(_paymentToken(job));
        receipt.escrow = _escrowOf(job);
        JobStatus status = job.status;
        if (status == JobStatus.Finalized) {
            (receipt.providerAmount, receipt.feeAmount, receipt.refundAmount) =
                Settlement.split(receipt.escrow, job.tokenCount, job.pricePerToken, job.feeBps);
        } else if (status > JobStatus.Finalized) {
            receipt.refundAmount = receipt.escrow;
        }
    }

    function _jobWithStatus(uint256 jobId, JobStatus expected) private view returns (Job storage job) {
        job = _jobs[jobId];
        require(job.status != JobStatus.None, JobUnknown(jobId));
        require(job.status == expected, JobNotInStatus(jobId, job.status, expected));
    }

    function _escrowOf(Job storage job) private view returns (uint256) {
        return Settlement.escrow(job.maxOutputTokens, job.maxPricePerToken);
    }

    function _paymentToken(Job storage job) private view returns (IERC20) {
        return IERC20(_paymentTokens[job.paymentTokenId - 1]);
    }

    function _checkWindow(uint40 window) private pure {
        require(window >= _MIN_WINDOW && window <= _MAX_WINDOW, GovernanceWindowInvalid(window));
    }
}
