// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {PROTOCOL_TIER_COUNT} from "./generated/ProtocolConstants.sol";
import {IStakingRegistry} from "./interfaces/IStakingRegistry.sol";
import {SortitionSumTree} from "./libraries/SortitionSumTree.sol";

/// @title StakingRegistry
/// @notice See IStakingRegistry. Governance (PARAMS_ROLE) sets tier minimums and the unbonding delay; it has no
///         path to any provider's stake. Only the job market, bound once, locks, unlocks and slashes.
contract StakingRegistry is IStakingRegistry, AccessControl, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using EnumerableSet for EnumerableSet.AddressSet;
    using EnumerableSet for EnumerableSet.Bytes32Set;
    using SortitionSumTree for SortitionSumTree.Tree;

    /// @inheritdoc IStakingRegistry
    bytes32 public constant PARAMS_ROLE = keccak256("PARAMS_ROLE");
    /// @inheritdoc IStakingRegistry
    uint40 public constant MAX_UNBONDING_DELAY = 60 days;
    /// @inheritdoc IStakingRegistry
    uint256 public constant MAX_MODELS_PER_PROVIDER = 8;
    /// @notice Bounds of any tier minimum, in whole staking tokens (times 10^decimals).
    uint256 public constant MIN_TIER_STAKE_WHOLE = 100;
    uint256 public constant MAX_TIER_STAKE_WHOLE = 10_000_000;
    /// @inheritdoc IStakingRegistry
    uint8 public constant MAX_MIN_VALIDATORS = 8;

    IERC20 private immutable _STAKING_TOKEN;
    address private _jobMarket;
    uint40 private _unbondingDelay;
    uint8 private _minValidators;
    uint128[PROTOCOL_TIER_COUNT] private _tierMinimumStake;

    mapping(address provider => Provider) private _providers;
    mapping(address provider => mapping(bytes32 modelId => mapping(address paymentToken => Offer))) private _offers;
    mapping(address provider => mapping(bytes32 modelId => uint256)) private _activeOfferCount;
    mapping(bytes32 modelId => EnumerableSet.AddressSet) private _modelProviders;
    mapping(address provider => EnumerableSet.Bytes32Set) private _providerModels;
    /// @dev One stake-weighted committee pool per (model, determinism class, minimum tier), keyed by
    ///      `_poolKey(model, class)`: a provider of tier t weighs in pools 0..t of its own class.
    mapping(bytes32 poolKey => SortitionSumTree.Tree[PROTOCOL_TIER_COUNT]) private _pools;
    mapping(bytes32 poolKey => uint256[PROTOCOL_TIER_COUNT]) private _poolSizes;
    mapping(address provider => mapping(bytes32 modelId => bytes32 determinismClass)) private _classes;
    uint256 private immutable _DECIMALS_UNIT;

    modifier onlyMarket() {
        require(msg.sender == _jobMarket, StakingCallerNotMarket(msg.sender));
        _;
    }

    /// @param token The staking token (OctoToken locally, an existing token on Polygon).
    /// @param admin Governance: DEFAULT_ADMIN_ROLE and PARAMS_ROLE (meant to be a timelock).
    /// @param decimalsUnit 10 ** token decimals; tier minimums start at 1,000 / 5,000 / 10,000 whole tokens.
    constructor(IERC20 token, address admin, uint256 decimalsUnit) {
        _STAKING_TOKEN = token;
        _DECIMALS_UNIT = decimalsUnit;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PARAMS_ROLE, admin);
        _tierMinimumStake[0] = uint128(1_000 * decimalsUnit);
        _tierMinimumStake[1] = uint128(5_000 * decimalsUnit);
        _tierMinimumStake[2] = uint128(10_000 * decimalsUnit);
        _unbondingDelay = 7 days;
        _minValidators = 2;
    }

    // ---------------------------------------------------------------- binding

    /// @inheritdoc IStakingRegistry
    function bindJobMarket(address market) external onlyRole(DEFAULT_ADMIN_ROLE) {
        require(_jobMarket == address(0), StakingMarketAlreadyBound(_jobMarket));
        _jobMarket = market;
        emit JobMarketBound(market);
    }

    // ---------------------------------------------------------------- providers

    /// @inheritdoc IStakingRegistry
    function register(uint8 tier, bytes32 encryptionKey, string calldata metadataURI) external {
        Provider storage p = _providers[msg.sender];
        require(!p.registered, StakingAlreadyRegistered(msg.sender));
        require(tier < PROTOCOL_TIER_COUNT, StakingTierInvalid(tier));
        p.registered = true;
        p.tier = tier;
        p.encryptionKey = encryptionKey;
        emit ProviderRegistered(msg.sender, tier, encryptionKey, metadataURI);
    }

    /// @inheritdoc IStakingRegistry
    function setTier(uint8 tier) external {
        Provider storage p = _registered(msg.sender);
        require(tier < PROTOCOL_TIER_COUNT, StakingTierInvalid(tier));
        emit ProviderTierChanged(msg.sender, p.tier, tier);
        p.tier = tier;
        _syncPools(msg.sender);
    }

    /// @inheritdoc IStakingRegistry
    function setEncryptionKey(bytes32 encryptionKey) external {
        _registered(msg.sender).encryptionKey = encryptionKey;
        emit EncryptionKeyChanged(msg.sender, encryptionKey);
    }

    /// @inheritdoc IStakingRegistry
    function setMetadataURI(string calldata metadataURI) external {
        _registered(msg.sender);
        emit MetadataURIChanged(msg.sender, metadataURI);
    }

    /// @inheritdoc IStakingRegistry
    function setAccepting(bool accepting) external {
        _registered(msg.sender).accepting = accepting;
        emit AcceptingChanged(msg.sender, accepting);
        _syncPools(msg.sender);
    }

    // ---------------------------------------------------------------- stake

    /// @inheritdoc IStakingRegistry
    function stake(uint128 amount) public nonReentrant {
        require(amount > 0, StakingAmountZero());
        Provider storage p = _registered(msg.sender);
        p.stake += amount;
        emit Staked(msg.sender, amount, p.stake);
        _syncPools(msg.sender);
        _STAKING_TOKEN.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc IStakingRegistry
    function stakeWithPermit(uint128 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external {
        // A front-runner may have used the permit already; the transfer below still needs the allowance.
        try IERC20Permit(address(_STAKING_TOKEN)).permit(msg.sender, address(this), amount, deadline, v, r, s) {} catch {}
        stake(amount);
    }

    /// @inheritdoc IStakingRegistry
    function requestUnbond(uint128 amount) external {
        require(amount > 0, StakingAmountZero());
        Provider storage p = _registered(msg.sender);
        uint256 free = p.stake - p.locked;
        require(amount <= free, StakingInsufficientFreeStake(msg.sender, free, amount));
        p.stake -= amount;
        p.unbonding += amount;
        uint40 unbondableAt = uint40(block.timestamp) + _unbondingDelay;
        p.unbondableAt = unbondableAt;
        emit UnbondRequested(msg.sender, amount, p.unbonding, unbondableAt);
        _syncPools(msg.sender);
    }

    /// @inheritdoc IStakingRegistry
    function withdraw() external nonReentrant {
        Provider storage p = _providers[msg.sender];
        uint128 amount = p.unbonding;
        require(amount > 0, StakingNothingToWithdraw(msg.sender));
        require(block.timestamp >= p.unbondableAt, StakingUnbondNotReady(msg.sender, p.unbondableAt));
        p.unbonding = 0;
        emit Withdrawn(msg.sender, amount);
        _syncPools(msg.sender);
        _STAKING_TOKEN.safeTransfer(msg.sender, amount);
    }

    // ---------------------------------------------------------------- offers

    /// @inheritdoc IStakingRegistry
    function setOffer(
        bytes32 modelId,
        address paymentToken,
        uint128 pricePerToken,
        uint32 maxContext,
        uint16 capacity,
        bytes32 determinismClass
    ) external {
        Provider storage p = _registered(msg.sender);
        require(pricePerToken > 0, StakingOfferPriceZero());
        require(capacity > 0, StakingOfferCapacityZero());
        if (_classes[msg.sender][modelId] != determinismClass) {
            // A live job's committee is drawn from the class its provider had when it took the job.
            require(p.locked == 0, StakingClassChangeWhileLocked(msg.sender, modelId, p.locked));
            if (_activeOfferCount[msg.sender][modelId] > 0) _syncPool(msg.sender, modelId, 0);
            _classes[msg.sender][modelId] = determinismClass;
            if (_activeOfferCount[msg.sender][modelId] > 0) _syncPool(msg.sender, modelId, _poolWeightOf(p));
        }
        Offer storage offer = _offers[msg.sender][modelId][paymentToken];
        if (!offer.active) {
            offer.active = true;
            if (_activeOfferCount[msg.sender][modelId]++ == 0) {
                _modelProviders[modelId].add(msg.sender);
                EnumerableSet.Bytes32Set storage models = _providerModels[msg.sender];
                models.add(modelId);
                require(models.length() <= MAX_MODELS_PER_PROVIDER, StakingTooManyModels(msg.sender, MAX_MODELS_PER_PROVIDER));
                _syncPool(msg.sender, modelId, _poolWeightOf(_providers[msg.sender]));
            }
        }
        offer.pricePerToken = pricePerToken;
        offer.maxContext = maxContext;
        offer.capacity = capacity;
        emit OfferSet(msg.sender, modelId, paymentToken, pricePerToken, maxContext, capacity, determinismClass);
    }

    /// @inheritdoc IStakingRegistry
    function removeOffer(bytes32 modelId, address paymentToken) external {
        Offer storage offer = _offers[msg.sender][modelId][paymentToken];
        require(offer.active, StakingOfferNotFound(msg.sender, modelId, paymentToken));
        delete _offers[msg.sender][modelId][paymentToken];
        if (--_activeOfferCount[msg.sender][modelId] == 0) {
            _modelProviders[modelId].remove(msg.sender);
            _providerModels[msg.sender].remove(modelId);
            _syncPool(msg.sender, modelId, 0);
        }
        emit OfferRemoved(msg.sender, modelId, paymentToken);
    }

    // ---------------------------------------------------------------- governance

    /// @inheritdoc IStakingRegistry
    /// @dev Bounded: at least MIN_TIER_STAKE_WHOLE tokens (so a tier never becomes free to join, which would let unstaked accounts
    ///      claim jobs and sit on committees), at most MAX_TIER_STAKE_WHOLE, and ordered across tiers (a higher tier never
    ///      asks less than a lower one). Providers' pool weights follow at their next change or `refreshPoolWeight`.
    function setTierMinimumStake(uint8 tier, uint128 minimum) external onlyRole(PARAMS_ROLE) {
        require(tier < PROTOCOL_TIER_COUNT, StakingTierInvalid(tier));
        bool ordered = (tier == 0 || _tierMinimumStake[tier - 1] <= minimum)
            && (tier + 1 == PROTOCOL_TIER_COUNT || minimum <= _tierMinimumStake[tier + 1]);
        require(
            minimum >= MIN_TIER_STAKE_WHOLE * _DECIMALS_UNIT && minimum <= MAX_TIER_STAKE_WHOLE * _DECIMALS_UNIT && ordered,
            StakingTierMinimumInvalid(tier, minimum)
        );
        emit TierMinimumStakeChanged(tier, _tierMinimumStake[tier], minimum);
        _tierMinimumStake[tier] = minimum;
    }

    /// @inheritdoc IStakingRegistry
    function setUnbondingDelay(uint40 delay) external onlyRole(PARAMS_ROLE) {
        require(delay <= MAX_UNBONDING_DELAY, StakingUnbondingDelayTooLong(delay, MAX_UNBONDING_DELAY));
        emit UnbondingDelayChanged(_unbondingDelay, delay);
        _unbondingDelay = delay;
    }

    /// @inheritdoc IStakingRegistry
    function setMinValidators(uint8 minimum) external onlyRole(PARAMS_ROLE) {
        require(minimum <= MAX_MIN_VALIDATORS, StakingMinValidatorsTooHigh(minimum, MAX_MIN_VALIDATORS));
        emit MinValidatorsChanged(_minValidators, minimum);
        _minValidators = minimum;
    }

    // ---------------------------------------------------------------- market hooks

    /// @inheritdoc IStakingRegistry
    function lockForJob(
        address provider,
        uint256 jobId,
        bytes32 modelId,
        address paymentToken,
        uint8 minTier,
        uint256 maxPricePerToken,
        uint128 collateral
    ) external onlyMarket returns (uint128 pricePerToken) {
        Provider storage p = _providers[provider];
        _checkEligible(p, provider, minTier);
        Offer storage offer = _offers[provider][modelId][paymentToken];
        require(offer.active, StakingProviderIneligible(provider, IneligibleReason.NoOffer));
        pricePerToken = offer.pricePerToken;
        require(pricePerToken <= maxPricePerToken, StakingOfferTooExpensive(provider, pricePerToken, maxPricePerToken));
        require(p.activeJobs < offer.capacity, StakingProviderAtCapacity(provider, p.activeJobs, offer.capacity));
        uint256 free = p.stake - p.locked;
        require(collateral <= free, StakingInsufficientFreeStake(provider, free, collateral));
        _checkCommittee(provider, modelId, minTier);
        p.locked += collateral;
        p.activeJobs += 1;
        emit CollateralLocked(provider, jobId, collateral);
    }

    /// @inheritdoc IStakingRegistry
    function unlock(address provider, uint256 jobId, uint128 amount, Outcome outcome) external onlyMarket {
        Provider storage p = _providers[provider];
        require(amount <= p.locked, StakingUnlockExceedsLocked(provider, p.locked, amount));
        p.locked -= amount;
        p.activeJobs -= 1;
        emit CollateralUnlocked(provider, jobId, amount);
        _record(p, provider, jobId, outcome);
    }

    /// @inheritdoc IStakingRegistry
    function slash(
        address provider,
        uint256 jobId,
        uint128 collateral,
        uint128 slashAmount,
        address recipient,
        Outcome outcome
    ) external onlyMarket nonReentrant {
        require(slashAmount <= collateral, StakingSlashExceedsCollateral(slashAmount, collateral));
        _takeCollateral(provider, jobId, collateral, slashAmount, recipient, outcome);
        if (slashAmount > 0) _STAKING_TOKEN.safeTransfer(recipient, slashAmount);
    }

    /// @inheritdoc IStakingRegistry
    function slashShared(
        address provider,
        uint256 jobId,
        uint128 collateral,
        address recipient,
        address[] calldata members,
        uint128 shareEach
    ) external onlyMarket nonReentrant {
        uint256 shares = uint256(shareEach) * members.length;
        require(shares <= collateral, StakingSlashExceedsCollateral(shares, collateral));
        _takeCollateral(provider, jobId, collateral, collateral, recipient, Outcome.Slashed);
        for (uint256 i; i < members.length; ++i) {
            emit SlashShared(provider, jobId, members[i], shareEach);
            if (shareEach > 0) _STAKING_TOKEN.safeTransfer(members[i], shareEach);
        }
        // Cannot underflow: shares <= collateral was checked above.
        if (collateral > shares) _STAKING_TOKEN.safeTransfer(recipient, collateral - shares);
    }

    /// @dev Releases a job's `collateral` and takes `slashAmount` of it out of the provider's stake (the caller
    ///      transfers it).
    function _takeCollateral(
        address provider,
        uint256 jobId,
        uint128 collateral,
        uint128 slashAmount,
        address recipient,
        Outcome outcome
    ) private {
        Provider storage p = _providers[provider];
        require(collateral <= p.locked, StakingUnlockExceedsLocked(provider, p.locked, collateral));
        // locked <= stake holds before, and both drop by amounts with slashAmount <= collateral <= locked.
        p.locked -= collateral;
        p.activeJobs -= 1;
        p.stake -= slashAmount;
        p.slashed += 1;
        emit ProviderSlashed(provider, jobId, slashAmount, recipient);
        _syncPools(provider);
        _record(p, provider, jobId, outcome);
    }

    /// @inheritdoc IStakingRegistry
    function recordOutcome(address provider, uint256 jobId, Outcome outcome) external onlyMarket {
        _record(_providers[provider], provider, jobId, outcome);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IStakingRegistry
    function stakingToken() external view returns (address) {
        return address(_STAKING_TOKEN);
    }

    /// @inheritdoc IStakingRegistry
    function jobMarket() external view returns (address) {
        return _jobMarket;
    }

    /// @inheritdoc IStakingRegistry
    function getProvider(address provider) external view returns (Provider memory) {
        return _providers[provider];
    }

    /// @inheritdoc IStakingRegistry
    function getOffer(address provider, bytes32 modelId, address paymentToken) external view returns (Offer memory) {
        return _offers[provider][modelId][paymentToken];
    }

    /// @inheritdoc IStakingRegistry
    function tierMinimumStake(uint8 tier) external view returns (uint128) {
        return _tierMinimumStake[tier];
    }

    /// @inheritdoc IStakingRegistry
    function unbondingDelay() external view returns (uint40) {
        return _unbondingDelay;
    }

    /// @inheritdoc IStakingRegistry
    function providersForModel(bytes32 modelId) external view returns (address[] memory) {
        return _modelProviders[modelId].values();
    }

    /// @inheritdoc IStakingRegistry
    function poolWeight(bytes32 modelId, bytes32 determinismClass, uint8 minTier) external view returns (uint256) {
        return minTier < PROTOCOL_TIER_COUNT ? _pools[_poolKey(modelId, determinismClass)][minTier].total() : 0;
    }

    /// @inheritdoc IStakingRegistry
    function poolSize(bytes32 modelId, bytes32 determinismClass, uint8 minTier) external view returns (uint256) {
        return minTier < PROTOCOL_TIER_COUNT ? _poolSizes[_poolKey(modelId, determinismClass)][minTier] : 0;
    }

    /// @inheritdoc IStakingRegistry
    function drawProvider(bytes32 modelId, bytes32 determinismClass, uint8 minTier, uint256 ticket)
        external
        view
        returns (address)
    {
        return minTier < PROTOCOL_TIER_COUNT ? _pools[_poolKey(modelId, determinismClass)][minTier].draw(ticket) : address(0);
    }

    /// @inheritdoc IStakingRegistry
    function classOf(address provider, bytes32 modelId) external view returns (bytes32) {
        return _classes[provider][modelId];
    }

    /// @inheritdoc IStakingRegistry
    function minValidators() external view returns (uint8) {
        return _minValidators;
    }

    /// @inheritdoc IStakingRegistry
    function refreshPoolWeight(address provider) external {
        _syncPools(provider);
    }

    /// @inheritdoc IStakingRegistry
    function isEligible(address provider, bytes32 modelId, uint8 minTier) external view returns (bool) {
        Provider storage p = _providers[provider];
        return p.registered && p.accepting && p.unbonding == 0 && p.tier >= minTier
            && p.stake >= _tierMinimumStake[p.tier] && _activeOfferCount[provider][modelId] > 0;
    }

    // ---------------------------------------------------------------- internals

    function _registered(address provider) private view returns (Provider storage p) {
        p = _providers[provider];
        require(p.registered, StakingNotRegistered(provider));
    }

    function _checkEligible(Provider storage p, address provider, uint8 minTier) private view {
        require(p.registered, StakingProviderIneligible(provider, IneligibleReason.NotRegistered));
        require(p.accepting, StakingProviderIneligible(provider, IneligibleReason.NotAccepting));
        require(p.unbonding == 0, StakingProviderIneligible(provider, IneligibleReason.Unbonding));
        require(p.tier >= minTier, StakingProviderIneligible(provider, IneligibleReason.TierTooLow));
        require(p.stake >= _tierMinimumStake[p.tier], StakingProviderIneligible(provider, IneligibleReason.UnderStaked));
    }

    /// @dev A provider's weight in the committee pools: its stake while it could be drawn, else 0.
    function _poolWeightOf(Provider storage p) private view returns (uint256) {
        bool eligible = p.registered && p.accepting && p.unbonding == 0 && p.stake >= _tierMinimumStake[p.tier];
        return eligible ? p.stake : 0;
    }

    /// @dev Writes `provider`'s weight into the pools of every model it offers: O(models × tiers × log n), with
    ///      models <= MAX_MODELS_PER_PROVIDER.
    function _syncPools(address provider) private {
        uint256 weight = _poolWeightOf(_providers[provider]);
        EnumerableSet.Bytes32Set storage models = _providerModels[provider];
        uint256 n = models.length();
        for (uint256 i; i < n; ++i) {
            _syncPool(provider, models.at(i), weight);
        }
    }

    function _syncPool(address provider, bytes32 modelId, uint256 weight) private {
        uint8 tier = _providers[provider].tier;
        bytes32 key = _poolKey(modelId, _classes[provider][modelId]);
        SortitionSumTree.Tree[PROTOCOL_TIER_COUNT] storage pools = _pools[key];
        uint256[PROTOCOL_TIER_COUNT] storage sizes = _poolSizes[key];
        for (uint256 t; t < PROTOCOL_TIER_COUNT; ++t) {
            uint256 next = t <= tier ? weight : 0;
            bool was = pools[t].weightOf(provider) != 0;
            pools[t].set(provider, next);
            if (!was && next != 0) sizes[t] += 1;
            else if (was && next == 0) sizes[t] -= 1;
        }
    }

    /// @dev Refuses a lock when the provider's committee pool (its class, the job's tier) could not field
    ///      `_minValidators` members besides it: such a provider would be judged by nobody, and a dispute without
    ///      quorum settles in its favour.
    function _checkCommittee(address provider, bytes32 modelId, uint8 minTier) private view {
        uint256 required = _minValidators;
        if (required == 0) return;
        bytes32 determinismClass = _classes[provider][modelId];
        SortitionSumTree.Tree storage pool = _pools[_poolKey(modelId, determinismClass)][minTier];
        uint256 others = _poolSizes[_poolKey(modelId, determinismClass)][minTier];
        if (pool.weightOf(provider) != 0) others -= 1;
        require(others >= required, StakingCommitteeTooThin(provider, determinismClass, others, required));
    }

    function _poolKey(bytes32 modelId, bytes32 determinismClass) private pure returns (bytes32) {
        return keccak256(abi.encode(modelId, determinismClass));
    }

    function _record(Provider storage p, address provider, uint256 jobId, Outcome outcome) private {
        if (outcome == Outcome.Completed) p.completed += 1;
        else if (outcome == Outcome.TimedOut) p.timedOut += 1;
        else if (outcome == Outcome.Disputed) p.disputed += 1;
        else if (outcome == Outcome.Released) p.released += 1;
        else if (outcome == Outcome.VoteMissed) p.missedVotes += 1;
        // Outcome.Slashed is counted by `slash` itself.
        emit OutcomeRecorded(provider, jobId, outcome);
    }
}
