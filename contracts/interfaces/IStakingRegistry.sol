// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IStakingRegistry
/// @notice Providers, their hardware tier, stake, unbonding, collateral locks, slashing, reputation, encryption key and
///         model offers.
/// @dev Accounting invariants, enforced where stake moves:
///      - `locked <= stake` always (collateral can only be locked from free stake, unbonding only takes free stake,
///        a slash never takes more than the collateral it unlocks), so no stake can go negative;
///      - the registry's token balance equals the sum over providers of `stake + unbonding`.
///      Only the job market bound once through `bindJobMarket` can lock, unlock or slash; no role can move stake.
interface IStakingRegistry {
    /// @notice One provider (four slots).
    /// @param stake Bonded stake, in the staking token's units.
    /// @param locked The part of `stake` that backs live jobs as collateral; never withdrawable.
    /// @param unbonding Stake requested out, withdrawable once `unbondableAt` has passed; it backs nothing.
    /// @param unbondableAt Timestamp from which `unbonding` can be withdrawn. uint40 lasts ~34,000 years.
    /// @param tier 0 Consumer, 1 Prosumer, 2 Enterprise.
    /// @param registered Whether `register` was called.
    /// @param accepting Whether the provider takes new jobs (its own pause switch).
    /// @param encryptionKey The provider's X25519 public key, to which users wrap job secrets.
    /// @param completed Jobs finalized with payment. Reputation counters are uint32: ~4e9 jobs per provider.
    /// @param timedOut Claimed jobs the provider let time out.
    /// @param disputed Results of this provider that went to a committee.
    /// @param slashed Times the provider was slashed.
    /// @param released Jobs the provider handed back.
    /// @param activeJobs Jobs holding a collateral lock now (claimed, submitted or disputed); an offer's `capacity`
    ///        bounds it at the next lock.
    struct Provider {
        uint128 stake;
        uint128 locked;
        uint128 unbonding;
        uint40 unbondableAt;
        uint8 tier;
        bool registered;
        bool accepting;
        uint32 activeJobs;
        bytes32 encryptionKey;
        uint32 completed;
        uint32 timedOut;
        uint32 disputed;
        uint32 slashed;
        uint32 released;
        uint32 missedVotes;
    }

    /// @notice A provider's price for one model, paid in one payment token (one slot).
    /// @param pricePerToken Price of one output token, in the payment token's units.
    /// @param maxContext Longest prompt plus output, in tokens, that the provider serves for this model.
    /// @param capacity Most jobs the provider runs at once while taking a job under this offer: a lock (a claim, or
    ///        the creation of a job that names the provider) is refused when `activeJobs` has reached it. At least 1.
    /// @param active Whether the offer stands.
    struct Offer {
        uint128 pricePerToken;
        uint32 maxContext;
        uint16 capacity;
        bool active;
    }

    /// @notice Reputation outcomes the market records.
    enum Outcome {
        Completed,
        TimedOut,
        Disputed,
        Slashed,
        Released,
        /// A committee member that did not vote by the dispute deadline (recorded against the member, not the job's
        /// provider).
        VoteMissed
    }

    event JobMarketBound(address indexed jobMarket);
    event ProviderRegistered(address indexed provider, uint8 tier, bytes32 encryptionKey, string metadataURI);
    event ProviderTierChanged(address indexed provider, uint8 previousTier, uint8 newTier);
    event EncryptionKeyChanged(address indexed provider, bytes32 encryptionKey);
    event MetadataURIChanged(address indexed provider, string metadataURI);
    event AcceptingChanged(address indexed provider, bool accepting);
    event Staked(address indexed provider, uint256 amount, uint256 newStake);
    event UnbondRequested(address indexed provider, uint256 amount, uint256 totalUnbonding, uint40 unbondableAt);
    event Withdrawn(address indexed provider, uint256 amount);
    /// @param determinismClass The provider's determinism class for the model (see `setOffer`).
    event OfferSet(
        address indexed provider,
        bytes32 indexed modelId,
        address indexed paymentToken,
        uint128 pricePerToken,
        uint32 maxContext,
        uint16 capacity,
        bytes32 determinismClass
    );
    event OfferRemoved(address indexed provider, bytes32 indexed modelId, address indexed paymentToken);
    event CollateralLocked(address indexed provider, uint256 indexed jobId, uint256 amount);
    event CollateralUnlocked(address indexed provider, uint256 indexed jobId, uint256 amount);
    event ProviderSlashed(address indexed provider, uint256 indexed jobId, uint256 amount, address indexed recipient);
    /// @notice `amount` of a slash went to `member`, a committee member whose verdict found the provider at fault.
    event SlashShared(address indexed provider, uint256 indexed jobId, address indexed member, uint256 amount);
    event OutcomeRecorded(address indexed provider, uint256 indexed jobId, Outcome outcome);
    event TierMinimumStakeChanged(uint8 indexed tier, uint256 previousMinimum, uint256 newMinimum);
    event UnbondingDelayChanged(uint40 previousDelay, uint40 newDelay);
    event MinValidatorsChanged(uint8 previousMinimum, uint8 newMinimum);

    error StakingMarketAlreadyBound(address jobMarket);
    error StakingCallerNotMarket(address caller);
    error StakingTierInvalid(uint8 tier);
    error StakingAlreadyRegistered(address provider);
    error StakingNotRegistered(address provider);
    error StakingAmountZero();
    error StakingInsufficientFreeStake(address provider, uint256 free, uint256 needed);
    error StakingUnbondNotReady(address provider, uint40 unbondableAt);
    error StakingNothingToWithdraw(address provider);
    error StakingUnbondingDelayTooLong(uint40 delay, uint40 max);
    error StakingOfferNotFound(address provider, bytes32 modelId, address paymentToken);
    error StakingOfferPriceZero();
    /// @notice The provider cannot take the job: `reason` says which check failed.
    error StakingProviderIneligible(address provider, IneligibleReason reason);
    /// @notice The offer's price is above what the job pays per token.
    error StakingOfferTooExpensive(address provider, uint256 price, uint256 maxPrice);
    error StakingSlashExceedsCollateral(uint256 slashAmount, uint256 collateral);
    error StakingUnlockExceedsLocked(address provider, uint256 locked, uint256 amount);
    /// @notice A provider offers at most MAX_MODELS_PER_PROVIDER models, which bounds what a change of its stake costs.
    error StakingTooManyModels(address provider, uint256 max);
    /// @notice A tier minimum outside [MIN_TIER_STAKE_WHOLE, MAX_TIER_STAKE_WHOLE] whole tokens, or below the tier
    ///         under it, or above the tier over it.
    error StakingTierMinimumInvalid(uint8 tier, uint128 minimum);
    /// @notice An offer must take at least one job at a time.
    error StakingOfferCapacityZero();
    /// @notice The provider already runs `activeJobs` jobs, the offer's `capacity`.
    error StakingProviderAtCapacity(address provider, uint256 activeJobs, uint256 capacity);
    /// @notice A provider changes its determinism class for a model only while no collateral of it is locked: the
    ///         committee of any live job is drawn from the class the provider had when it took the job.
    error StakingClassChangeWhileLocked(address provider, bytes32 modelId, uint256 locked);
    /// @notice The provider's committee pool (same model, same determinism class, the job's tier) holds `others`
    ///         eligible providers besides it, fewer than `required`: a dispute could not be decided by re-execution.
    error StakingCommitteeTooThin(address provider, bytes32 determinismClass, uint256 others, uint256 required);
    /// @notice `minValidators` above MAX_MIN_VALIDATORS.
    error StakingMinValidatorsTooHigh(uint8 minimum, uint8 max);

    /// @notice Why a provider cannot claim.
    enum IneligibleReason {
        NotRegistered,
        NotAccepting,
        Unbonding,
        TierTooLow,
        UnderStaked,
        NoOffer
    }

    /// @notice The role that sets tier minimums and the unbonding delay (meant for a timelock).
    function PARAMS_ROLE() external view returns (bytes32);
    /// @notice Longest unbonding delay governance may set.
    function MAX_UNBONDING_DELAY() external view returns (uint40);

    /// @notice The staking token.
    function stakingToken() external view returns (address);
    /// @notice The job market allowed to lock, unlock and slash (zero until bound).
    function jobMarket() external view returns (address);

    /// @notice Binds the job market, once and forever. Only the default admin, only while unbound.
    function bindJobMarket(address market) external;

    /// @notice Registers the caller as a provider of `tier`, not yet accepting jobs.
    function register(uint8 tier, bytes32 encryptionKey, string calldata metadataURI) external;
    /// @notice Changes the caller's tier (claims check the tier's minimum stake).
    function setTier(uint8 tier) external;
    /// @notice Rotates the caller's X25519 public key.
    function setEncryptionKey(bytes32 encryptionKey) external;
    /// @notice Publishes a new metadata URI (event only).
    function setMetadataURI(string calldata metadataURI) external;
    /// @notice Starts or stops taking new jobs; live jobs are unaffected.
    function setAccepting(bool accepting) external;

    /// @notice Adds `amount` of the staking token to the caller's stake (first stake and top-ups).
    function stake(uint128 amount) external;
    /// @notice Same as `stake`, approving through EIP-2612 first.
    function stakeWithPermit(uint128 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;
    /// @notice Moves `amount` of free stake (stake not backing live jobs) to unbonding and restarts the delay.
    ///         While anything is unbonding the provider cannot claim.
    function requestUnbond(uint128 amount) external;
    /// @notice Sends all unbonding stake to the caller once its delay has passed.
    function withdraw() external;

    /// @notice Sets or updates the caller's offer for `modelId` paid in `paymentToken`.
    /// @param capacity Most jobs at once (see Offer.capacity); at least 1.
    /// @param determinismClass What must match for a re-run of the provider's output to be comparable (engine and
    ///        build, threads or batch invariance, dtype, context, hardware class), as a 32-byte id the worker derives
    ///        from its running engine. One class per provider and model, shared by its offers of that model; the
    ///        committee of a disputed job is drawn only from providers of the accused's class. Changeable only while
    ///        the provider has no locked collateral (StakingClassChangeWhileLocked).
    function setOffer(
        bytes32 modelId,
        address paymentToken,
        uint128 pricePerToken,
        uint32 maxContext,
        uint16 capacity,
        bytes32 determinismClass
    ) external;
    /// @notice Withdraws the caller's offer.
    function removeOffer(bytes32 modelId, address paymentToken) external;

    /// @notice Governance: minimum stake of a tier.
    function setTierMinimumStake(uint8 tier, uint128 minimum) external;
    /// @notice Governance: unbonding delay (at most MAX_UNBONDING_DELAY).
    function setUnbondingDelay(uint40 delay) external;
    /// @notice Governance: how many other eligible providers a provider's committee pool must hold when it takes a
    ///         job (at most MAX_MIN_VALIDATORS). Zero only where one provider runs alone (a local development chain).
    function setMinValidators(uint8 minimum) external;
    /// @notice The current `setMinValidators` value (QUORUM of a committee, 2, from deployment).
    function minValidators() external view returns (uint8);

    /// @notice Market only: checks that `provider` may take a job (eligible, offering the model in the token at most
    ///         at `maxPricePerToken`, under its offer's capacity, with at least `minValidators` other providers in its
    ///         committee pool) and locks `collateral` from its free stake.
    /// @return pricePerToken The provider's offered price, at most `maxPricePerToken`.
    function lockForJob(
        address provider,
        uint256 jobId,
        bytes32 modelId,
        address paymentToken,
        uint8 minTier,
        uint256 maxPricePerToken,
        uint128 collateral
    ) external returns (uint128 pricePerToken);

    /// @notice Market only: releases `amount` of collateral and records the job's outcome.
    function unlock(address provider, uint256 jobId, uint128 amount, Outcome outcome) external;

    /// @notice Market only: releases `collateral` and takes `slashAmount <= collateral` of it to `recipient`.
    function slash(address provider, uint256 jobId, uint128 collateral, uint128 slashAmount, address recipient, Outcome outcome)
        external;

    /// @notice Market only: slashes the whole `collateral`: `shareEach` to each of `members` (the committee members
    ///         whose verdict found the fault) and the rest to `recipient`.
    function slashShared(
        address provider,
        uint256 jobId,
        uint128 collateral,
        address recipient,
        address[] calldata members,
        uint128 shareEach
    ) external;

    /// @notice Market only: records a reputation outcome that moves no stake.
    function recordOutcome(address provider, uint256 jobId, Outcome outcome) external;

    /// @notice A provider's record.
    function getProvider(address provider) external view returns (Provider memory);
    /// @notice A provider's offer.
    function getOffer(address provider, bytes32 modelId, address paymentToken) external view returns (Offer memory);
    /// @notice Minimum stake of a tier.
    function tierMinimumStake(uint8 tier) external view returns (uint128);
    /// @notice Unbonding delay in seconds.
    function unbondingDelay() external view returns (uint40);
    /// @notice Providers with at least one active offer for `modelId` (the pool committees are drawn from).
    function providersForModel(bytes32 modelId) external view returns (address[] memory);

    /// @notice Models a provider can offer at once.
    function MAX_MODELS_PER_PROVIDER() external view returns (uint256);

    /// @notice The committee pool of a model for jobs of tier `minTier`: a provider is drawn with probability
    ///         weight / poolWeight, where its weight is its whole stake while it is eligible (registered, accepting,
    ///         not unbonding, staked at least its tier's minimum, offering the model, tier >= minTier), else 0. An
    ///         unstaked registration weighs nothing and is never drawn, however many there are. Weights follow every
    ///         change the provider makes and every slash; a change of a tier minimum reaches a provider at its next
    ///         change or `refreshPoolWeight`, so the market re-checks `isEligible` on whoever is drawn.
    /// @return The sum of the pool's weights.
    ///      There is one pool per (model, determinism class, minimum tier): a provider weighs only in the pools of
    ///      its own class for each model it offers.
    function poolWeight(bytes32 modelId, bytes32 determinismClass, uint8 minTier) external view returns (uint256);

    /// @notice Providers with a non-zero weight in the pool of (`modelId`, `determinismClass`, `minTier`).
    function poolSize(bytes32 modelId, bytes32 determinismClass, uint8 minTier) external view returns (uint256);

    /// @notice Draws one provider from the pool of (`modelId`, `determinismClass`, `minTier`) for a uniform
    ///         `ticket`, in O(log n) reads of a sortition-sum tree; zero when the pool is empty.
    function drawProvider(bytes32 modelId, bytes32 determinismClass, uint8 minTier, uint256 ticket)
        external
        view
        returns (address);

    /// @notice `provider`'s determinism class for `modelId` (zero if it never offered the model).
    function classOf(address provider, bytes32 modelId) external view returns (bytes32);

    /// @notice Largest `minValidators` governance may set.
    function MAX_MIN_VALIDATORS() external view returns (uint8);

    /// @notice Recomputes `provider`'s pool weights from its current state (e.g. after a tier minimum changed).
    ///         Anyone may call.
    function refreshPoolWeight(address provider) external;
    /// @notice Whether `provider` could serve `modelId` now at tier >= `minTier` (registered, accepting, not
    ///         unbonding, staked to its tier's minimum, offering the model in any payment token).
    function isEligible(address provider, bytes32 modelId, uint8 minTier) external view returns (bool);
}
