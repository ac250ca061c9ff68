// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IJobMarket} from "./interfaces/IJobMarket.sol";
import {IModelRegistry} from "./interfaces/IModelRegistry.sol";
import {IResultVerifier} from "./interfaces/IResultVerifier.sol";
import {IStakingRegistry} from "./interfaces/IStakingRegistry.sol";
import {Committee} from "./libraries/Committee.sol";
import {Settlement} from "./libraries/Settlement.sol";
import {JobMarketGovernance} from "./market/JobMarketGovernance.sol";
import {JobMarketResults} from "./market/JobMarketResults.sol";
import {JobMarketStorage} from "./market/JobMarketStorage.sol";

/// @title JobMarket
/// @notice See IJobMarket. Immutable: the verifier, the staking registry and the model registry are fixed at
///         deployment. Governance (PARAMS_ROLE, meant for a timelock) sets bounded parameters that apply to jobs
///         created or claimed afterwards; PAUSER_ROLE stops new jobs and claims. No role has a path to escrow: every
///         transfer out goes to a job's user, its provider, a fraud prover or (fees only) the treasury.
///         The parts live in contracts/market/: state and shared steps in JobMarketStorage, governance in
///         JobMarketGovernance, disputes and fraud proofs in JobMarketDisputes, result submission in JobMarketResults.
contract JobMarket is JobMarketGovernance, JobMarketResults {
    using SafeERC20 for IERC20;

    /// @notice Output tokens fit the statement's 20-bit field.
    uint256 public constant MAX_OUTPUT_TOKENS = (1 << 20) - 1;
    uint256 private constant _FIELD_ORDER =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint8 private constant _TIER_COUNT = 3;

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
    ) JobMarketStorage(verifier, staking, models) {
        require(treasury != address(0), GovernanceZeroAddress());
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
        _pay(_paymentToken(job), job.user, refund);
        _notify(jobId, job);
    }

    // ================================================================ claim / key / release

    /// @inheritdoc IJobMarket
    /// @dev Only open jobs are ever Open: a job that names its provider is claimed by `createJob` itself.
    function claimJob(uint256 jobId) external nonReentrant whenNotPaused {
        Job storage job = _jobWithStatus(jobId, JobStatus.Open);
        require(block.timestamp < job.deadline, JobDeadlinePassed(jobId, job.deadline));
        require(
            _MODELS.getModel(job.modelId).status != IModelRegistry.ModelStatus.Retired, ClaimModelRetired(job.modelId)
        );
        _claim(jobId, job, msg.sender);
    }

    /// @inheritdoc IJobMarket
    function deliverJobKey(uint256 jobId, bytes32 ephemeralPublicKey, bytes calldata wrappedSecret) external {
        Job storage job = _jobWithStatus(jobId, JobStatus.Claimed);
        require(msg.sender == job.user, JobNotUser(jobId, msg.sender));
        require(job.flags & _FLAG_KEY_DELIVERED == 0, JobKeyAlreadyDelivered(jobId));
        // A key after the window is refused: it could arm a timeout slash against a provider left without time, and
        // it would block the provider's KeyNotDelivered exit.
        require(block.timestamp < job.windowEnd, JobWindowClosed(jobId, job.windowEnd));
        job.flags |= _FLAG_KEY_DELIVERED;
        emit JobKeyDelivered(jobId, job.provider, ephemeralPublicKey, wrappedSecret);
    }

    /// @inheritdoc IJobMarket
    /// @dev The rule that makes lying pay nothing: a reason the market cannot check changes nothing. Only
    ///      KeyNotDelivered is checked (no key, window over); every other reason, input fault or provider fault, has
    ///      the same effect: a named job (sealed to this provider, nobody else can run it) is refunded, an open job
    ///      is reopened for anyone (its user may cancel it for a full refund). So a false "undecryptable" neither
    ///      kills an open job nor gains anything over an honest "out of capacity", and after the deadline there is
    ///      no release at all: only `timeoutJob`, which slashes when the key was delivered.
    function releaseJob(uint256 jobId, ReleaseReason reason) external nonReentrant {
        Job storage job = _jobWithStatus(jobId, JobStatus.Claimed);
        address provider = job.provider;
        require(msg.sender == provider, JobNotProvider(jobId, msg.sender));
        require(reason != ReleaseReason.None, ReleaseReasonInvalid(reason));
        require(block.timestamp <= job.deadline, JobDeadlinePassed(jobId, job.deadline));
        uint8 flags = job.flags;
        if (reason == ReleaseReason.KeyNotDelivered) {
            require(flags & _FLAG_KEY_DELIVERED == 0, JobKeyAlreadyDelivered(jobId));
            require(block.timestamp >= job.windowEnd, JobWindowOpen(jobId, job.windowEnd));
        }
        uint80 collateral = job.collateral;
        if (reason == ReleaseReason.KeyNotDelivered || flags & _FLAG_NAMED != 0) {
            job.status = JobStatus.Refunded;
            uint256 refund = _escrowOf(job);
            emit JobReleased(jobId, provider, reason, refund);
            _STAKING.unlock(provider, jobId, collateral, IStakingRegistry.Outcome.Released);
            _pay(_paymentToken(job), job.user, refund);
            _notify(jobId, job);
        } else {
            // The job is open again to anyone, and needs its key delivered again.
            job.status = JobStatus.Open;
            job.provider = address(0);
            job.windowEnd = 0;
            job.pricePerToken = 0;
            job.collateral = 0;
            job.flags = flags & ~_FLAG_KEY_DELIVERED;
            emit JobReleased(jobId, provider, reason, 0);
            _STAKING.unlock(provider, jobId, collateral, IStakingRegistry.Outcome.Released);
        }
    }

    // ================================================================ finalize / timeout / fees

    /// @inheritdoc IJobMarket
    function finalize(uint256 jobId) external nonReentrant {
        Job storage job = _finalizable(jobId);
        (address provider, IERC20 token, uint256 amount) = _settle(jobId, job);
        _pay(token, provider, amount);
        _notify(jobId, job);
    }

    /// @inheritdoc IJobMarket
    function finalizeBatch(uint256[] calldata jobIds) external nonReentrant {
        // Payouts to one provider in one token accumulate across consecutive jobs and move in one transfer.
        address pendingProvider;
        IERC20 pendingToken;
        uint256 pendingAmount;
        bool[] memory settled = new bool[](jobIds.length);
        for (uint256 i; i < jobIds.length; ++i) {
            // A job already settled (by anyone, even in front of this batch) is skipped, so that nobody can sink a
            // provider's batch by finalizing one of its jobs first. Any other job that is not finalizable reverts.
            if (_jobs[jobIds[i]].status > JobStatus.Disputed) continue;
            Job storage job = _finalizable(jobIds[i]);
            settled[i] = true;
            (address provider, IERC20 token, uint256 amount) = _settle(jobIds[i], job);
            if (provider != pendingProvider || token != pendingToken) {
                _pay(pendingToken, pendingProvider, pendingAmount);
                (pendingProvider, pendingToken, pendingAmount) = (provider, token, 0);
            }
            pendingAmount += amount;
        }
        _pay(pendingToken, pendingProvider, pendingAmount);
        for (uint256 i; i < jobIds.length; ++i) {
            if (settled[i]) _notify(jobIds[i], _jobs[jobIds[i]]);
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
        _pay(_paymentToken(job), job.user, refund);
        _notify(jobId, job);
    }

    /// @inheritdoc IJobMarket
    function withdrawCredit(address token) external nonReentrant {
        uint256 amount = _credits[token][msg.sender];
        _credits[token][msg.sender] = 0;
        _creditTotal[token] -= amount;
        emit CreditWithdrawn(token, msg.sender, amount);
        if (amount > 0) IERC20(token).safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc IJobMarket
    function creditOf(address token, address account) external view returns (uint256) {
        return _credits[token][account];
    }

    /// @inheritdoc IJobMarket
    function totalCredit(address token) external view returns (uint256) {
        return _creditTotal[token];
    }

    /// @inheritdoc IJobMarket
    function withdrawFees(address token) external nonReentrant {
        uint256 amount = _fees[token];
        _fees[token] = 0;
        emit FeesWithdrawn(token, _treasury, amount);
        if (amount > 0) IERC20(token).safeTransfer(_treasury, amount);
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
    function nextJobId() external view returns (uint256) {
        return _nextJobId;
    }

    /// @inheritdoc IJobMarket
    function accruedFees(address token) external view returns (uint256) {
        return _fees[token];
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
        job.feeBps = _feeBps;
        job.maxPricePerToken = request.maxPricePerToken;
        job.modelId = request.modelId;
        job.keyCommitment = request.keyCommitment;

        uint256 escrow = Settlement.escrow(request.maxOutputTokens, request.maxPricePerToken);
        emit JobCreated(jobId, msg.sender, request.modelId, request, escrow, inputHash, envelope, envelopeURI);
        // A job that names its provider starts claimed: the provider's collateral is locked at its offer's price now
        // (or creation reverts, naming why the provider cannot take it), and the provider starts on seeing this
        // transaction, with no claim of its own to wait for. Its key is in the envelope, sealed to that provider.
        if (request.provider != address(0)) _claim(jobId, job, request.provider);
        // Escrow is booked only as it arrives: a token that takes a fee on transfer (or otherwise delivers less) is
        // refused, or the market would owe more than it holds.
        IERC20 token = IERC20(request.paymentToken);
        uint256 before = token.balanceOf(address(this));
        token.safeTransferFrom(msg.sender, address(this), escrow);
        uint256 received = token.balanceOf(address(this)) - before;
        require(received == escrow, CreateEscrowShortfall(received, escrow));
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

    /// @dev Locks `provider`'s collateral for an Open job at its offer's price and moves the job to Claimed. The user
    ///      of an open job may take the key window, but never more than half the time left: the provider always
    ///      keeps at least deadline − keyDeadline (which it sees in JobClaimed) to run a job whose key came in time.
    function _claim(uint256 jobId, Job storage job, address provider) private {
        uint80 collateral = _collateral;
        uint128 price = _STAKING.lockForJob(
            provider, jobId, job.modelId, address(_paymentToken(job)), job.minTier, job.maxPricePerToken, collateral
        );
        uint40 keyDeadline;
        if (job.flags & _FLAG_KEY_DELIVERED == 0) {
            uint40 half = (job.deadline - uint40(block.timestamp)) / 2;
            uint40 window = _keyDeliveryWindow;
            keyDeadline = uint40(block.timestamp) + (window < half ? window : half);
        }
        job.status = JobStatus.Claimed;
        job.provider = provider;
        job.windowEnd = keyDeadline;
        // price <= maxPricePerToken < 2^80, checked by the registry.
        job.pricePerToken = uint80(price);
        job.collateral = collateral;
        emit JobClaimed(jobId, provider, price, collateral, keyDeadline);
    }

    function _finalizable(uint256 jobId) private view returns (Job storage job) {
        job = _jobs[jobId];
        JobStatus status = job.status;
        require(
            status == JobStatus.Submitted || status == JobStatus.Disputed,
            JobNotInStatus(jobId, status, JobStatus.Submitted)
        );
        uint256 drawBlock = _disputes[jobId].drawBlock;
        if (status == JobStatus.Disputed && drawBlock != 0) {
            // A committee never drawn: the dispute lapses after the draw window and settles as without quorum.
            uint256 lapse = drawBlock + Committee.DRAW_BLOCKS;
            require(block.number > lapse, DisputeDrawPending(jobId, lapse));
            return job;
        }
        require(block.timestamp >= job.windowEnd, JobWindowOpen(jobId, job.windowEnd));
    }
}
