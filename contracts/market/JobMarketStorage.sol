// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IJobMarket} from "../interfaces/IJobMarket.sol";
import {IJobConsumer} from "../interfaces/IJobConsumer.sol";
import {IModelRegistry} from "../interfaces/IModelRegistry.sol";
import {IResultVerifier} from "../interfaces/IResultVerifier.sol";
import {IStakingRegistry} from "../interfaces/IStakingRegistry.sol";
import {BoundedCall} from "../libraries/BoundedCall.sol";
import {Committee} from "../libraries/Committee.sol";
import {Settlement} from "../libraries/Settlement.sol";

/// @title JobMarketStorage
/// @notice The state of JobMarket and the steps every part of it shares: the job lookup, the escrow, settlement, the
///         consumer callback and the receipt it carries. All state lives here, in its original order, so that the
///         storage layout is the one of a single contract; the parts that build on it declare none of their own.
abstract contract JobMarketStorage is IJobMarket, AccessControl, Pausable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Gas given to a consumer's `onJobFinalized`.
    uint256 public constant CALLBACK_GAS_LIMIT = 150_000;
    /// @notice Plaintext bytes per proven chunk (64 elements × 31 bytes).
    uint256 public constant CHUNK_BYTES = 1_984;
    uint256 public constant BYTES_PER_ELEMENT = 31;
    uint256 public constant CHUNK_ELEMENTS = 64;
    uint256 public constant MAX_CHUNKS = 256;

    uint8 internal constant _FLAG_VERIFIABLE = 1;
    uint8 internal constant _FLAG_CALLBACK = 2;
    uint8 internal constant _FLAG_KEY_DELIVERED = 4;
    uint8 internal constant _FLAG_NAMED = 8;

    IResultVerifier internal immutable _VERIFIER;
    IStakingRegistry internal immutable _STAKING;
    IModelRegistry internal immutable _MODELS;

    // Parameters, one slot: 40 + 16 + 40 × 3 + 16 + 80 = 272 bits, so two slots.
    uint40 internal _nextJobId = 1;
    uint16 internal _feeBps;
    uint40 internal _challengeWindow;
    uint40 internal _disputeWindow;
    uint40 internal _keyDeliveryWindow;
    uint16 internal _sampleBps;
    uint80 internal _collateral;
    address internal _treasury;

    mapping(uint256 jobId => Job) internal _jobs;
    mapping(uint256 jobId => Committee.Dispute) internal _disputes;
    mapping(address token => uint256) internal _fees;
    mapping(address token => uint8 id) internal _paymentTokenIds;
    mapping(uint8 id => bool) internal _paymentTokenAllowed;
    address[] internal _paymentTokens;
    /// @dev Payments whose transfer failed (e.g. the token's issuer blocks the recipient), withdrawable by their owner.
    mapping(address token => mapping(address account => uint256)) internal _credits;
    mapping(address token => uint256) internal _creditTotal;

    /// @param verifier The Groth16 result verifier (IResultVerifier).
    /// @param staking The staking registry.
    /// @param models The model registry.
    constructor(IResultVerifier verifier, IStakingRegistry staking, IModelRegistry models) {
        _VERIFIER = verifier;
        _STAKING = staking;
        _MODELS = models;
    }

    // ================================================================ shared internals

    /// @dev Marks the job Finalized, books the fee, refunds the user and unlocks the collateral; returns the
    ///      provider's payout for the caller to transfer (so batches can aggregate it).
    function _settle(uint256 jobId, Job storage job) internal returns (address provider, IERC20 token, uint256 paid) {
        provider = job.provider;
        token = _paymentToken(job);
        (uint256 providerAmount, uint256 fee, uint256 refund) =
            Settlement.split(_escrowOf(job), job.tokenCount, job.pricePerToken, job.feeBps);
        job.status = JobStatus.Finalized;
        _fees[address(token)] += fee;
        emit JobFinalized(jobId, provider, job.user, job.tokenCount, providerAmount, fee, refund);
        _STAKING.unlock(provider, jobId, job.collateral, IStakingRegistry.Outcome.Completed);
        _pay(token, job.user, refund);
        paid = providerAmount;
    }

    /// @dev Pays `amount` of `token` to `to`, or, when the transfer fails (a recipient blocklisted by the token's
    ///      issuer, a paused token), credits it to `to` for `withdrawCredit`: no settlement, refund or batch can be
    ///      frozen by one party's standing with the token. The money never leaves the market's books either way.
    function _pay(IERC20 token, address to, uint256 amount) internal {
        if (amount == 0) return;
        if (token.trySafeTransfer(to, amount)) return;
        _credits[address(token)][to] += amount;
        _creditTotal[address(token)] += amount;
        emit PaymentCredited(address(token), to, amount);
    }

    /// @dev Calls a consumer's `onJobFinalized` with a fixed gas cap; its failure changes nothing.
    function _notify(uint256 jobId, Job storage job) internal {
        if (job.flags & _FLAG_CALLBACK == 0) return;
        address consumer = job.user;
        bytes memory data = abi.encodeCall(IJobConsumer.onJobFinalized, (_receipt(jobId)));
        bool success = BoundedCall.call(consumer, CALLBACK_GAS_LIMIT, data);
        emit ConsumerNotified(jobId, consumer, success);
    }

    function _receipt(uint256 jobId) internal view returns (Receipt memory receipt) {
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

    function _jobWithStatus(uint256 jobId, JobStatus expected) internal view returns (Job storage job) {
        job = _jobs[jobId];
        require(job.status != JobStatus.None, JobUnknown(jobId));
        require(job.status == expected, JobNotInStatus(jobId, job.status, expected));
    }

    function _escrowOf(Job storage job) internal view returns (uint256) {
        return Settlement.escrow(job.maxOutputTokens, job.maxPricePerToken);
    }

    function _paymentToken(Job storage job) internal view returns (IERC20) {
        return IERC20(_paymentTokens[job.paymentTokenId - 1]);
    }
}
