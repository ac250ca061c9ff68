// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ProtocolConstants} from "./generated/ProtocolConstants.sol";
import {IJobMarket} from "./interfaces/IJobMarket.sol";
import {IModelRegistry} from "./interfaces/IModelRegistry.sol";
import {IResultVerifier} from "./interfaces/IResultVerifier.sol";
import {IStakingRegistry} from "./interfaces/IStakingRegistry.sol";
import {IJobConsumer} from "./interfaces/IJobConsumer.sol";
import {BoundedCall} from "./libraries/BoundedCall.sol";
import {Committee} from "./libraries/Committee.sol";
import {FraudProof} from "./libraries/FraudProof.sol";
import {JobFlags} from "./libraries/JobFlags.sol";
import {JobResults} from "./libraries/JobResults.sol";
import {Settlement} from "./libraries/Settlement.sol";

/// @title JobMarket
/// @notice See IJobMarket, which is the whole specification. One contract holds every job, balance and parameter;
///         what is pure or touches one job only lives in libraries: result checks and recording (JobResults), the
///         fraud proof's digest (FraudProof), the committee's draw, reveal, votes and voter lists (Committee), the
///         money split (Settlement). JobResults, FraudProof and Committee's dispute steps are linked (external) so
///         that the market fits EIP-170.
///         Immutable: the verifier, the staking registry and the model registry are fixed at deployment. Governance
///         (PARAMS_ROLE, meant for a timelock) sets bounded parameters that apply to jobs created or claimed
///         afterwards; PAUSER_ROLE stops new jobs and claims. No role has a path to escrow or balances: every token
///         that leaves goes to a job's user, to an account withdrawing its own balance (a provider's earnings, a
///         committee's bond shares, deposits, refunds), or (fees only) to the treasury.
contract JobMarket is IJobMarket, AccessControl, Pausable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    bytes32 public constant PARAMS_ROLE = keccak256("PARAMS_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice The protocol fee can never exceed 10% of a payment.
    uint16 public constant MAX_FEE_BPS = 1_000;
    /// @notice Job collateral can never exceed 1,000,000 staking tokens (18 decimals).
    uint80 public constant MAX_COLLATERAL = 1e24;
    /// @notice Job collateral can never be below 1 staking token (18 decimals): at 0 a slash would cost nothing.
    uint80 public constant MIN_COLLATERAL = 1e18;
    /// @notice A dispute bond (of the escrow) and the committee's share (of a slashed collateral) never exceed 50%.
    uint16 public constant MAX_DISPUTE_BPS = 5_000;
    /// @notice Output tokens fit the statement's 20-bit field.
    uint256 public constant MAX_OUTPUT_TOKENS = ProtocolConstants.STATEMENT_MAX_TOKENS_MAX;
    /// @notice Gas given to a consumer's `onJobFinalized`.
    uint256 public constant CALLBACK_GAS_LIMIT = 150_000;
    /// @notice Plaintext bytes per proven chunk (64 elements × 31 bytes).
    uint256 public constant CHUNK_BYTES = ProtocolConstants.CHUNK_BYTES;
    uint256 public constant BYTES_PER_ELEMENT = ProtocolConstants.BYTES_PER_ELEMENT;
    uint256 public constant CHUNK_ELEMENTS = ProtocolConstants.CHUNK_ELEMENTS;
    uint256 public constant MAX_CHUNKS = ProtocolConstants.MAX_CHUNKS;
    uint40 private constant _MIN_WINDOW = 10 minutes;
    uint40 private constant _MAX_WINDOW = 30 days;

    IResultVerifier private immutable _VERIFIER;
    IStakingRegistry private immutable _STAKING;
    IModelRegistry private immutable _MODELS;

    // Parameters: 40 + 16 + 40 × 3 + 16 × 3 = 224 bits in one slot; collateral and treasury in the next.
    uint40 private _nextJobId = 1;
    uint16 private _feeBps;
    uint40 private _challengeWindow;
    uint40 private _disputeWindow;
    uint40 private _keyDeliveryWindow;
    uint16 private _sampleBps;
    uint16 private _disputeBondBps;
    uint16 private _committeeShareBps;
    uint80 private _collateral;
    address private _treasury;

    mapping(uint256 jobId => Job) private _jobs;
    mapping(uint256 jobId => Committee.Dispute) private _disputes;
    mapping(address token => uint256) private _fees;
    mapping(address token => uint8 id) private _paymentTokenIds;
    mapping(uint8 id => bool) private _paymentTokenAllowed;
    address[] private _paymentTokens;
    /// @dev Accounts' balances in the market, withdrawable by their owner: deposits, provider earnings, refunds of
    ///      balance-paid jobs, and refunds whose transfer failed (e.g. the token's issuer blocks the recipient).
    mapping(address token => mapping(address account => uint256)) private _balances;
    mapping(address token => uint256) private _balanceTotal;

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
        _disputeBondBps = 1_000;
        _committeeShareBps = 1_000;
    }

    // ================================================================ create / cancel

    /// @inheritdoc IJobMarket
    function createJob(
        JobRequest calldata request,
        bytes calldata envelope,
        string calldata envelopeURI,
        bytes32 envelopeHash
    ) external nonReentrant whenNotPaused returns (uint256) {
        return _create(request, envelope, envelopeURI, envelopeHash, false);
    }

    /// @inheritdoc IJobMarket
    function createJobFromBalance(
        JobRequest calldata request,
        bytes calldata envelope,
        string calldata envelopeURI,
        bytes32 envelopeHash
    ) external nonReentrant whenNotPaused returns (uint256) {
        return _create(request, envelope, envelopeURI, envelopeHash, true);
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
        return _create(request, envelope, envelopeURI, envelopeHash, false);
    }

    /// @inheritdoc IJobMarket
    function cancelJob(uint256 jobId) external nonReentrant {
        Job storage job = _jobWithStatus(jobId, JobStatus.Open);
        require(msg.sender == job.user || block.timestamp > job.deadline, JobNotUser(jobId, msg.sender));
        job.status = JobStatus.Cancelled;
        uint256 refund = _escrowOf(job);
        emit JobCancelled(jobId, job.user, refund);
        _refund(job, refund);
        _notify(jobId, job);
    }

    // ================================================================ balances

    /// @inheritdoc IJobMarket
    function deposit(address token, uint256 amount) public nonReentrant {
        require(_paymentTokenAllowed[_paymentTokenIds[token]], BalanceTokenNotAllowed(token));
        _credit(token, msg.sender, amount);
        emit Deposited(token, msg.sender, amount);
        uint256 received = _transferIn(IERC20(token), amount);
        require(received == amount, BalanceDepositShortfall(received, amount));
    }

    /// @inheritdoc IJobMarket
    function depositWithPermit(address token, uint256 amount, uint256 permitDeadline, uint8 v, bytes32 r, bytes32 s)
        external
    {
        // A front-runner may have used the permit already; the transfer in `deposit` still needs the allowance.
        try IERC20Permit(token).permit(msg.sender, address(this), amount, permitDeadline, v, r, s) {} catch {}
        deposit(token, amount);
    }

    /// @inheritdoc IJobMarket
    function withdraw(address token, uint256 amount) external nonReentrant {
        _debit(token, msg.sender, amount);
        emit Withdrawn(token, msg.sender, amount);
        IERC20(token).safeTransfer(msg.sender, amount);
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
        require(job.flags & JobFlags.KEY_DELIVERED == 0, JobKeyAlreadyDelivered(jobId));
        // A key after the window is refused: it could arm a timeout slash against a provider left without time, and
        // it would block the provider's KeyNotDelivered exit.
        require(block.timestamp < job.windowEnd, JobWindowClosed(jobId, job.windowEnd));
        job.flags |= JobFlags.KEY_DELIVERED;
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
            require(flags & JobFlags.KEY_DELIVERED == 0, JobKeyAlreadyDelivered(jobId));
            require(block.timestamp >= job.windowEnd, JobWindowOpen(jobId, job.windowEnd));
        }
        uint80 collateral = job.collateral;
        if (reason == ReleaseReason.KeyNotDelivered || flags & JobFlags.NAMED != 0) {
            job.status = JobStatus.Refunded;
            uint256 refund = _escrowOf(job);
            emit JobReleased(jobId, provider, reason, refund);
            _STAKING.unlock(provider, jobId, collateral, IStakingRegistry.Outcome.Released);
            _refund(job, refund);
            _notify(jobId, job);
        } else {
            // The job is open again to anyone, and needs its key delivered again.
            job.status = JobStatus.Open;
            job.provider = address(0);
            job.windowEnd = 0;
            job.pricePerToken = 0;
            job.collateral = 0;
            job.flags = flags & ~JobFlags.KEY_DELIVERED;
            emit JobReleased(jobId, provider, reason, 0);
            _STAKING.unlock(provider, jobId, collateral, IStakingRegistry.Outcome.Released);
        }
    }

    // ================================================================ submit

    /// @inheritdoc IJobMarket
    function submitResult(uint256 jobId, Result calldata result, uint256[8][] calldata proofs) external nonReentrant {
        if (JobResults.submit(_jobs, _resultContext(), jobId, result, proofs)) Committee.commitCoin(_disputes[jobId], jobId);
    }

    /// @inheritdoc IJobMarket
    function submitResults(uint256[] calldata jobIds, Result[] calldata results, uint256[8][] calldata proofs)
        external
        nonReentrant
    {
        bool[] memory sampleable = JobResults.submitBatch(_jobs, _resultContext(), jobIds, results, proofs);
        for (uint256 i; i < sampleable.length; ++i) {
            if (sampleable[i]) Committee.commitCoin(_disputes[jobIds[i]], jobIds[i]);
        }
    }

    // ================================================================ disputes and fraud proofs

    /// @inheritdoc IJobMarket
    function dispute(uint256 jobId) external nonReentrant {
        Job storage job = _jobWithStatus(jobId, JobStatus.Submitted);
        require(msg.sender == job.user, JobNotUser(jobId, msg.sender));
        require(block.timestamp < job.windowEnd, JobWindowClosed(jobId, job.windowEnd));
        uint256 bond = _escrowOf(job) * _disputeBondBps / Settlement.BPS;
        _openDispute(jobId, msg.sender, bond);
        if (bond == 0) return;
        // The bond is paid like the job was: from the user's balance, or by transfer.
        address token = address(_paymentToken(job));
        if (job.flags & JobFlags.FROM_BALANCE != 0) {
            _debit(token, msg.sender, bond);
        } else {
            uint256 received = _transferIn(IERC20(token), bond);
            require(received == bond, DisputeBondShortfall(received, bond));
        }
    }

    /// @inheritdoc IJobMarket
    function drawCommittee(uint256 jobId) external nonReentrant {
        Job storage job = _jobWithStatus(jobId, JobStatus.Disputed);
        Committee.drawFor(_disputes[jobId], job, jobId, _STAKING, _disputeWindow);
    }

    /// @inheritdoc IJobMarket
    function readSampleCoin(uint256 jobId) external nonReentrant {
        _jobWithStatus(jobId, JobStatus.Submitted);
        if (Committee.readCoin(_disputes[jobId], jobId, _sampleBps)) _openDispute(jobId, address(0), 0);
    }

    /// @inheritdoc IJobMarket
    /// @dev A dispute reveals the job to the committee (the user's choice, by disputing); nothing else can: the prompt
    ///      is sealed to the provider. The wraps are checked off-chain only (a member that cannot open its wrap waits
    ///      for another).
    function revealJobSecret(uint256 jobId, bytes32 ephemeralPublicKey, bytes[] calldata wrappedSecrets) external {
        Job storage job = _jobWithStatus(jobId, JobStatus.Disputed);
        Committee.reveal(_disputes[jobId], job, jobId, ephemeralPublicKey, wrappedSecrets);
    }

    /// @inheritdoc IJobMarket
    function voteOnDispute(uint256 jobId, bool providerAtFault) external nonReentrant {
        Job storage job = _jobWithStatus(jobId, JobStatus.Disputed);
        Committee.Dispute storage d = _disputes[jobId];
        (uint8 faultVotes, uint8 cleanVotes) = Committee.castVote(d, job, jobId, providerAtFault);
        if (faultVotes >= Committee.QUORUM) _slashJob(jobId, job, job.user, Committee.voters(d, Committee.Side.Fault));
        else if (cleanVotes >= Committee.QUORUM) _settle(jobId, job);
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
        (uint256 digest, uint256 proven) = FraudProof.postedDigest(job, chunkIndex, ciphertext, outputCommitments);
        require(digest != proven, FraudProofDigestMatches(chunkIndex, digest));
        emit CiphertextMismatchProven(jobId, chunkIndex, digest, proven);
        // The collateral goes to the user, whose result was withheld behind a false ciphertext: that repairs the
        // harm, and it cannot be collected by the accused itself proving its own fraud from another account (nor
        // front-run away from a watcher, who has nothing to race for).
        _slashJob(jobId, job, job.user, new address[](0));
    }

    // ================================================================ finalize / timeout / fees

    /// @inheritdoc IJobMarket
    function finalize(uint256 jobId) external nonReentrant {
        _settle(jobId, _finalizable(jobId));
    }

    /// @inheritdoc IJobMarket
    /// @dev Each provider's earnings are credited to its balance, so a batch makes no transfer to providers at all.
    function finalizeBatch(uint256[] calldata jobIds) external nonReentrant {
        for (uint256 i; i < jobIds.length; ++i) {
            // A job already settled (by anyone, even in front of this batch) is skipped, so that nobody can sink a
            // provider's batch by finalizing one of its jobs first. Any other job that is not finalizable reverts.
            if (_jobs[jobIds[i]].status > JobStatus.Disputed) continue;
            _settle(jobIds[i], _finalizable(jobIds[i]));
        }
    }

    /// @inheritdoc IJobMarket
    function timeoutJob(uint256 jobId) external nonReentrant {
        Job storage job = _jobWithStatus(jobId, JobStatus.Claimed);
        require(block.timestamp > job.deadline, JobDeadlineNotPassed(jobId, job.deadline));
        address provider = job.provider;
        uint80 collateral = job.collateral;
        uint256 refund = _escrowOf(job);
        if (job.flags & JobFlags.KEY_DELIVERED != 0) {
            job.status = JobStatus.TimedOut;
            emit JobTimedOut(jobId, provider, refund, collateral);
            _STAKING.slash(provider, jobId, collateral, collateral, job.user, IStakingRegistry.Outcome.TimedOut);
        } else {
            // The provider never had the key: nothing to blame it for.
            job.status = JobStatus.Refunded;
            emit JobReleased(jobId, provider, ReleaseReason.KeyNotDelivered, refund);
            _STAKING.unlock(provider, jobId, collateral, IStakingRegistry.Outcome.Released);
        }
        _refund(job, refund);
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

    /// @inheritdoc IJobMarket
    function setFeeBps(uint16 feeBps) external onlyRole(PARAMS_ROLE) {
        require(feeBps <= MAX_FEE_BPS, GovernanceFeeTooHigh(feeBps, MAX_FEE_BPS));
        _feeBps = feeBps;
        emit FeeSet(feeBps);
    }

    /// @inheritdoc IJobMarket
    function setTreasury(address treasury) external onlyRole(PARAMS_ROLE) {
        require(treasury != address(0), GovernanceZeroAddress());
        _treasury = treasury;
        emit TreasurySet(treasury);
    }

    /// @inheritdoc IJobMarket
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

    /// @inheritdoc IJobMarket
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

    /// @inheritdoc IJobMarket
    function setCollateral(uint80 collateral) external onlyRole(PARAMS_ROLE) {
        require(collateral <= MAX_COLLATERAL, GovernanceCollateralTooHigh(collateral, MAX_COLLATERAL));
        require(collateral >= MIN_COLLATERAL, GovernanceCollateralTooLow(collateral, MIN_COLLATERAL));
        _collateral = collateral;
        emit CollateralSet(collateral);
    }

    /// @inheritdoc IJobMarket
    function setSampleBps(uint16 sampleBps) external onlyRole(PARAMS_ROLE) {
        require(sampleBps <= Settlement.BPS, GovernanceSampleRateTooHigh(sampleBps));
        _sampleBps = sampleBps;
        emit SampleRateSet(sampleBps);
    }

    /// @inheritdoc IJobMarket
    function setDisputeTerms(uint16 bondBps, uint16 committeeShareBps) external onlyRole(PARAMS_ROLE) {
        require(
            bondBps <= MAX_DISPUTE_BPS && committeeShareBps <= MAX_DISPUTE_BPS,
            GovernanceDisputeTermsInvalid(bondBps, committeeShareBps)
        );
        (_disputeBondBps, _committeeShareBps) = (bondBps, committeeShareBps);
        emit DisputeTermsSet(bondBps, committeeShareBps);
    }

    /// @inheritdoc IJobMarket
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @inheritdoc IJobMarket
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

    /// @inheritdoc IJobMarket
    function balanceOf(address token, address account) external view returns (uint256) {
        return _balances[token][account];
    }

    /// @inheritdoc IJobMarket
    function totalBalance(address token) external view returns (uint256) {
        return _balanceTotal[token];
    }

    /// @inheritdoc IJobMarket
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

    /// @inheritdoc IJobMarket
    function disputeTerms() external view returns (uint16 bondBps, uint16 committeeShareBps) {
        return (_disputeBondBps, _committeeShareBps);
    }

    /// @inheritdoc IJobMarket
    function paymentToken(uint8 id) external view returns (address token, bool allowed) {
        return (id == 0 || id > _paymentTokens.length ? address(0) : _paymentTokens[id - 1], _paymentTokenAllowed[id]);
    }

    /// @inheritdoc IJobMarket
    function dependencies() external view returns (address verifier, address staking, address models) {
        return (address(_VERIFIER), address(_STAKING), address(_MODELS));
    }

    // ================================================================ internals: create and claim

    function _create(
        JobRequest calldata request,
        bytes calldata envelope,
        string calldata envelopeURI,
        bytes32 envelopeHash,
        bool fromBalance
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
        require(jobId <= ProtocolConstants.STATEMENT_JOB_ID_MAX, JobIdSpaceExhausted());
        // Cannot overflow: jobId < 2^40 (the statement's job-id field) was checked above.
        unchecked {
            _nextJobId = uint40(jobId + 1);
        }
        uint8 flags = (request.verifiable ? JobFlags.VERIFIABLE : 0) | (request.callback ? JobFlags.CALLBACK : 0)
            | (fromBalance ? JobFlags.FROM_BALANCE : 0);
        if (request.provider != address(0)) flags |= JobFlags.NAMED | JobFlags.KEY_DELIVERED;

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
        emit JobCreated(jobId, msg.sender, request.modelId, request, escrow, inputHash, envelope, envelopeURI, fromBalance);
        // A job that names its provider starts claimed: the provider's collateral is locked at its offer's price now
        // (or creation reverts, naming why the provider cannot take it), and the provider starts on seeing this
        // transaction, with no claim of its own to wait for. Its key is in the envelope, sealed to that provider.
        if (request.provider != address(0)) _claim(jobId, job, request.provider);
        if (fromBalance) {
            // The escrow moves from the caller's free balance into the job; no token moves.
            _debit(request.paymentToken, msg.sender, escrow);
        } else {
            uint256 received = _transferIn(IERC20(request.paymentToken), escrow);
            require(received == escrow, CreateEscrowShortfall(received, escrow));
        }
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
        require(request.minTier < ProtocolConstants.TIER_COUNT, CreateTierInvalid(request.minTier));
        require(request.keyCommitment < ProtocolConstants.FIELD_ORDER, CreateKeyCommitmentInvalid(request.keyCommitment));
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
        if (job.flags & JobFlags.KEY_DELIVERED == 0) {
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

    // ================================================================ internals: disputes and settlement

    function _resultContext() private view returns (JobResults.Context memory) {
        return JobResults.Context(_VERIFIER, _challengeWindow, _sampleBps);
    }

    function _openDispute(uint256 jobId, address disputer, uint256 bond) private {
        Committee.open(_disputes[jobId], _jobs[jobId], jobId, disputer, bond, _STAKING);
    }

    function _finalizable(uint256 jobId) private view returns (Job storage job) {
        job = _jobs[jobId];
        JobStatus status = job.status;
        require(
            status == JobStatus.Submitted || status == JobStatus.Disputed,
            JobNotInStatus(jobId, status, JobStatus.Submitted)
        );
        uint256 drawBlock = _disputes[jobId].drawBlock;
        if (drawBlock != 0) {
            // Submitted: its sample coin is unread. Disputed: a committee never drawn, and the dispute lapses after
            // the draw window and settles as without quorum.
            require(status == JobStatus.Disputed, SampleCoinPending(jobId, drawBlock));
            uint256 lapse = drawBlock + Committee.DRAW_BLOCKS;
            require(block.number > lapse, DisputeDrawPending(jobId, lapse));
            return job;
        }
        require(block.timestamp >= job.windowEnd, JobWindowOpen(jobId, job.windowEnd));
    }

    /// @dev Marks the job Finalized, books the fee, credits the provider's earnings to its balance, refunds the user
    ///      the unused rest and unlocks the collateral, then notifies a consumer.
    function _settle(uint256 jobId, Job storage job) private {
        bool disputed = job.status == JobStatus.Disputed;
        // A sample whose input never reached its committee bills nothing: the provider withheld what re-execution
        // needs.
        bool unpaid = disputed && Committee.unrevealedSample(_disputes[jobId]);
        address provider = job.provider;
        address token = address(_paymentToken(job));
        (uint256 providerAmount, uint256 fee, uint256 refund) =
            Settlement.split(_escrowOf(job), unpaid ? 0 : job.tokenCount, job.pricePerToken, job.feeBps);
        job.status = JobStatus.Finalized;
        _fees[token] += fee;
        emit JobFinalized(jobId, provider, job.user, job.tokenCount, providerAmount, fee, refund);
        _STAKING.unlock(
            provider, jobId, job.collateral, unpaid ? IStakingRegistry.Outcome.TimedOut : IStakingRegistry.Outcome.Completed
        );
        _credit(token, provider, providerAmount);
        _refund(job, refund);
        if (disputed) _closeDispute(jobId, job, token);
        _notify(jobId, job);
    }

    /// @dev A dispute settled for the provider. Its bond pays the members who voted with a clean quorum or, without a
    ///      quorum, every member who voted (equal shares, the indivisible rest to the first); with no voter it returns
    ///      to the disputer. Members that never voted may lose reputation (`Committee.recordMissedVotes`).
    function _closeDispute(uint256 jobId, Job storage job, address token) private {
        Committee.Dispute storage d = _disputes[jobId];
        bool decided = d.cleanVotes >= Committee.QUORUM;
        address[] memory paid = Committee.voters(d, decided ? Committee.Side.Clean : Committee.Side.Any);
        uint256 bond = d.bond;
        uint256 share = paid.length == 0 ? 0 : bond / paid.length;
        emit DisputeBondSettled(jobId, paid, share, paid.length == 0 ? bond : 0);
        if (paid.length == 0) {
            _refund(job, bond);
        } else {
            for (uint256 i; i < paid.length; ++i) {
                _credit(token, paid[i], share);
            }
            _credit(token, paid[0], bond - share * paid.length);
        }
        Committee.recordMissedVotes(d, jobId, _STAKING);
    }

    /// @dev Fraud or a committee verdict: the user gets the whole escrow back, and a disputer its bond; the collateral
    ///      goes to `recipient`, less the committee's share split among `members` (those whose verdict found the fault).
    function _slashJob(uint256 jobId, Job storage job, address recipient, address[] memory members) private {
        address provider = job.provider;
        uint80 collateral = job.collateral;
        uint256 refund = _escrowOf(job);
        uint256 bond = job.status == JobStatus.Disputed ? _disputes[jobId].bond : 0;
        job.status = JobStatus.Slashed;
        emit JobSlashed(jobId, provider, recipient, refund, collateral);
        if (bond > 0) emit DisputeBondSettled(jobId, new address[](0), 0, bond);
        if (members.length == 0) {
            _STAKING.slash(provider, jobId, collateral, collateral, recipient, IStakingRegistry.Outcome.Slashed);
        } else {
            // Cannot truncate: the share is at most collateral / 2 < 2^80.
            uint128 share = uint128(uint256(collateral) * _committeeShareBps / Settlement.BPS / members.length);
            _STAKING.slashShared(provider, jobId, collateral, recipient, members, share);
        }
        _refund(job, refund + bond);
        _notify(jobId, job);
    }

    /// @dev Calls a consumer's `onJobFinalized` with a fixed gas cap; its failure changes nothing.
    function _notify(uint256 jobId, Job storage job) private {
        if (job.flags & JobFlags.CALLBACK == 0) return;
        address consumer = job.user;
        bytes memory data = abi.encodeCall(IJobConsumer.onJobFinalized, (_receipt(jobId)));
        bool success = BoundedCall.call(consumer, CALLBACK_GAS_LIMIT, data);
        emit ConsumerNotified(jobId, consumer, success);
    }

    // ================================================================ internals: money

    /// @dev Gives a job's user `amount` back: to its balance for a balance-paid job, else by transfer.
    function _refund(Job storage job, uint256 amount) private {
        address token = address(_paymentToken(job));
        if (job.flags & JobFlags.FROM_BALANCE != 0) _credit(token, job.user, amount);
        else _pay(token, job.user, amount);
    }

    /// @dev Pays `amount` of `token` to `to`, or, when the transfer fails (a recipient blocklisted by the token's
    ///      issuer, a paused token), credits it to `to`'s balance for `withdraw`: no settlement, refund or batch can
    ///      be frozen by one party's standing with the token. The money never leaves the market's books either way.
    function _pay(address token, address to, uint256 amount) private {
        if (amount == 0) return;
        if (IERC20(token).trySafeTransfer(to, amount)) return;
        _credit(token, to, amount);
        emit PaymentCredited(token, to, amount);
    }

    /// @dev Adds `amount` to `account`'s balance (the event of the step that owes it says why).
    function _credit(address token, address account, uint256 amount) private {
        if (amount == 0) return;
        _balances[token][account] += amount;
        _balanceTotal[token] += amount;
    }

    /// @dev Takes `amount` from `account`'s balance, or reverts naming what it holds.
    function _debit(address token, address account, uint256 amount) private {
        uint256 balance = _balances[token][account];
        require(amount <= balance, BalanceInsufficient(token, account, balance, amount));
        // Cannot underflow: amount <= balance <= total.
        unchecked {
            _balances[token][account] = balance - amount;
            _balanceTotal[token] -= amount;
        }
    }

    /// @dev Takes `amount` from the caller and returns what arrived: escrow and deposits are booked only as they
    ///      arrive, so a token that takes a fee on transfer (or otherwise delivers less) is refused, or the market
    ///      would owe more than it holds.
    function _transferIn(IERC20 token, uint256 amount) private returns (uint256 received) {
        uint256 before = token.balanceOf(address(this));
        token.safeTransferFrom(msg.sender, address(this), amount);
        received = token.balanceOf(address(this)) - before;
    }

    // ================================================================ internals: lookups

    function _receipt(uint256 jobId) private view returns (Receipt memory receipt) {
        Job storage job = _jobs[jobId];
        receipt.jobId = jobId;
        receipt.job = job;
        if (job.status == JobStatus.None) return receipt;
        receipt.paymentToken = address(_paymentToken(job));
        receipt.escrow = _escrowOf(job);
        JobStatus status = job.status;
        if (status == JobStatus.Finalized) {
            uint256 billed = Committee.unrevealedSample(_disputes[jobId]) ? 0 : job.tokenCount;
            (receipt.providerAmount, receipt.feeAmount, receipt.refundAmount) =
                Settlement.split(receipt.escrow, billed, job.pricePerToken, job.feeBps);
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
