// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IJobMarket
/// @notice Escrowed inference jobs: create → claim → submit (Groth16-verified) → challenge window → finalize, with
///         cancel, release, timeout, dispute by committee and an on-chain fraud proof for a posted ciphertext.
/// @dev State machine (each arrow one function, each emitting one event):
///        createJob (open job)→ Open; createJob (named job: the provider's collateral locked at once)→ Claimed
///        Open ─claimJob→ Claimed ─submitResult→ Submitted ─finalize (after window)→ Finalized
///        Open ─cancelJob→ Cancelled                     Submitted ─dispute / readSampleCoin→ Disputed
///        Claimed ─releaseJob(open job)→ Open            Disputed ─committee: provider right / no quorum→ Finalized
///        Claimed ─releaseJob(named job, or key not delivered)→ Refunded    Disputed ─committee: wrong→ Slashed
///        Claimed ─timeoutJob (key delivered)→ TimedOut  Submitted|Disputed ─proveCiphertextMismatch→ Slashed
///        Claimed ─timeoutJob (key never delivered)→ Refunded
///      Terminal states: Finalized, Cancelled, TimedOut, Slashed, Refunded. A job in a terminal state never moves
///      again, and its escrow has left the market exactly once.
///      Accounting invariant: for each payment token, the market's balance equals the escrow of its live jobs plus
///      its unclaimed fees plus the accounts' balances (deposits, provider earnings, refunds of balance-paid jobs and
///      payments whose transfer failed, all withdrawable by their owner).
interface IJobMarket {
    /// @notice Where a job is. Values > Disputed are terminal.
    enum JobStatus {
        None,
        Open,
        Claimed,
        Submitted,
        Disputed,
        Finalized,
        Cancelled,
        TimedOut,
        Slashed,
        Refunded
    }

    /// @notice Why a provider hands a claimed job back. Only KeyNotDelivered is checked by the market (and refunds the
    ///         user); the others are informational and all have the same effect (see `releaseJob`).
    enum ReleaseReason {
        None,
        InputUndecryptable,
        PromptTooLong,
        KeyNotDelivered,
        ModelUnavailable,
        OutOfCapacity
    }

    /// @notice What a user asks for.
    /// @param modelId The model (see IModelRegistry).
    /// @param paymentToken An allow-listed ERC20.
    /// @param maxOutputTokens Most output tokens paid for; < 2^20 (the circuit's statement field).
    /// @param maxPricePerToken Most paid per output token; escrow = maxOutputTokens × maxPricePerToken.
    /// @param minTier Lowest hardware tier the user accepts (raised to the model's own minimum).
    /// @param verifiable True: deterministic decoding, open to sampling and committee re-execution (the input is
    ///        revealed to a committee only when the result is disputed or sampled). Any job's bill can be disputed.
    /// @param callback True: the creator is an IJobConsumer and gets `onJobFinalized`.
    /// @param deadline Timestamp by which the result must be submitted.
    /// @param provider A named provider, or zero for any eligible provider.
    /// @param userPublicKey The user's ephemeral X25519 public key for this job.
    /// @param keyCommitment Poseidon2(DOMAIN_KEY, outputKey) of the job's output key; < the BN254 scalar field.
    struct JobRequest {
        bytes32 modelId;
        address paymentToken;
        uint24 maxOutputTokens;
        uint80 maxPricePerToken;
        uint8 minTier;
        bool verifiable;
        bool callback;
        uint40 deadline;
        address provider;
        bytes32 userPublicKey;
        uint256 keyCommitment;
    }

    /// @notice A job in storage (seven slots; results three more words). Field widths: jobs ids < 2^40 (the
    ///         statement), token counts < 2^20, prices < 2^80 (escrow < 2^100), collateral < 2^80 (1.2M tokens of
    ///         18 decimals), timestamps uint40.
    struct Job {
        // slot 0
        address user;
        uint40 deadline;
        uint24 maxOutputTokens;
        JobStatus status;
        uint8 minTier;
        uint8 flags;
        uint8 paymentTokenId;
        // slot 1
        address provider;
        uint40 windowEnd;
        uint24 tokenCount;
        uint16 chunkCount;
        uint16 feeBps;
        // slot 2
        uint80 maxPricePerToken;
        uint80 pricePerToken;
        uint80 collateral;
        // slots 3–6
        bytes32 modelId;
        uint256 keyCommitment;
        bytes32 outputRoot;
        bytes32 ciphertextHash;
    }

    /// @notice One proven chunk of an output.
    /// @param outputCommitment Public signal 0 of its proof.
    /// @param byteLength Plaintext bytes of the chunk: exactly 1984 for every chunk but the last, 1..1984 for the last
    ///        (0 when the whole output is empty: one chunk of zero bytes).
    /// @param tokenCount Output tokens billed for this chunk (≤ byteLength, proven).
    struct Chunk {
        uint256 outputCommitment;
        uint16 byteLength;
        uint16 tokenCount;
    }

    /// @notice A result as submitted.
    /// @param chunks The proven chunks, in order; 1..256.
    /// @param ciphertext The output ciphertext: each chunk's first ceil(byteLength / 31) elements, concatenated
    ///        (none for an empty output).
    /// @param ciphertextURI Must be empty: a ciphertext only at a URI is refused (SubmitCiphertextURIUnsupported).
    ///        Nothing could make it available to `proveCiphertextMismatch`, so a provider could prove an honest
    ///        output, withhold its ciphertext and be paid. Kept in the struct and the event for a later
    ///        data-availability rule.
    /// @param ciphertextHash Ignored; the market computes keccak256(abi.encodePacked(ciphertext)).
    struct Result {
        Chunk[] chunks;
        uint256[] ciphertext;
        string ciphertextURI;
        bytes32 ciphertextHash;
    }

    /// @notice The whole receipt of a job: its stored state, its settlement amounts and its dispute committee.
    ///         Inputs, ciphertexts, chunk proofs and the block of each step are in the events (JobCreated,
    ///         JobClaimed, ResultSubmitted, JobFinalized…), which carry everything an auditor needs.
    struct Receipt {
        uint256 jobId;
        Job job;
        address paymentToken;
        uint256 escrow;
        uint256 providerAmount;
        uint256 feeAmount;
        uint256 refundAmount;
    }

    // ================================================================ events (one per state change)

    /// @notice A job was created and its escrow booked.
    /// @param request The request as sent (an auditor re-derives every check from it).
    /// @param escrow maxOutputTokens × maxPricePerToken, held until the job settles.
    /// @param inputHash keccak256 of `envelope`, or the caller's hash of the envelope at `envelopeURI`.
    /// @param envelope The encrypted input (wrapped job secret + sealed prompt), when posted on-chain.
    /// @param envelopeURI Where the encrypted input is, when it is not posted on-chain.
    /// @param fromBalance True: the escrow came from the user's balance in the market (`createJobFromBalance`), and
    ///        every refund of the job goes back to that balance; false: it was transferred in, and refunds are
    ///        transferred out.
    event JobCreated(
        uint256 indexed jobId,
        address indexed user,
        bytes32 indexed modelId,
        JobRequest request,
        uint256 escrow,
        bytes32 inputHash,
        bytes envelope,
        string envelopeURI,
        bool fromBalance
    );
    /// @notice An Open job was cancelled and its whole escrow refunded.
    event JobCancelled(uint256 indexed jobId, address indexed user, uint256 refund);
    /// @notice A provider took a job: its collateral is locked and it is paid `pricePerToken` per billed token.
    /// @param keyDeadline For an open job, when the user's key must be delivered by; 0 for a named job (its key is in
    ///        the envelope).
    event JobClaimed(
        uint256 indexed jobId, address indexed provider, uint256 pricePerToken, uint256 collateral, uint40 keyDeadline
    );
    /// @notice The user wrapped the job secret to the provider of an open job (X25519, event only).
    event JobKeyDelivered(uint256 indexed jobId, address indexed provider, bytes32 ephemeralPublicKey, bytes wrappedSecret);
    /// @notice The provider handed a claimed job back; `refund` > 0 when the job ended (refunded), 0 when it reopened.
    event JobReleased(uint256 indexed jobId, address indexed provider, ReleaseReason reason, uint256 refund);
    /// @notice A claimed job's result was accepted: every chunk proof verified against the job's key commitment.
    /// @param outputRoot keccak256 of the chunks' output commitments, in order (what a fraud proof must match).
    /// @param ciphertextHash keccak256 of `ciphertext` (what a fraud proof must match).
    /// @param tokenCount Tokens billed, the sum of the chunks' proven counts.
    /// @param challengeEnd When the result may be finalized, unless disputed before.
    /// @param proofs The chunk proofs, in chunk order (Groth16, EVM order): with `chunks` and the job's key commitment
    ///        they re-verify off-chain from this log alone, whether the result came alone, in a batch or from a contract.
    event ResultSubmitted(
        uint256 indexed jobId,
        address indexed provider,
        bytes32 outputRoot,
        bytes32 ciphertextHash,
        uint256 tokenCount,
        uint256 byteLength,
        uint40 challengeEnd,
        Chunk[] chunks,
        uint256[] ciphertext,
        string ciphertextURI,
        uint256[8][] proofs
    );
    /// @notice A verifiable result may be sampled (the sample rate is on): whether it is, is decided by the hash of
    ///         block `coinBlock`, which nobody knows when the result is submitted (`readSampleCoin`).
    event SampleCoinCommitted(uint256 indexed jobId, uint256 coinBlock);
    /// @notice A result's sample coin was read: `sampled` opens a dispute without a disputer. `lapsed`: nobody read
    ///         it within 256 blocks after `coinBlock`, and a coin nobody read counts as sampled.
    event SampleCoinRead(uint256 indexed jobId, uint256 coinBlock, bool sampled, bool lapsed);
    /// @notice A dispute is committed; its committee will be drawn from the hash of block `drawBlock`.
    /// @param disputer The user who disputed, or zero for a random sample.
    /// @param bond What the disputer posted (disputeTerms' bond share of the escrow; 0 for a sample), in the job's
    ///        payment token, from its balance for a balance-paid job.
    event DisputeOpened(uint256 indexed jobId, address indexed disputer, uint256 drawBlock, uint256 bond);
    /// @notice A dispute's bond went where its outcome says: `share` to each of `members` (those who voted with a
    ///         clean verdict, or every voter without a quorum), or `returned` to the disputer (the provider was at
    ///         fault, or nobody voted).
    event DisputeBondSettled(uint256 indexed jobId, address[] members, uint256 share, uint256 returned);
    /// @notice A dispute's committee was drawn (`drawCommittee`); votes are open until `disputeEnd` (which is the
    ///         draw's own time when fewer than a quorum could be drawn: the dispute then settles for the provider).
    event JobDisputed(uint256 indexed jobId, address indexed disputer, address[] committee, uint40 disputeEnd);
    /// @notice A party of a disputed job wrapped the job secret to each committee member, in committee order.
    event JobSecretRevealed(
        uint256 indexed jobId, address indexed revealer, bytes32 ephemeralPublicKey, bytes[] wrappedSecrets
    );
    /// @notice A committee member voted.
    event DisputeVoted(uint256 indexed jobId, address indexed validator, bool providerAtFault);
    /// @notice A job settled for its provider: `providerAmount` credited to the provider's balance, `feeAmount` to the
    ///         treasury's accrued fees, `refundAmount` (the unused escrow) back to the user.
    event JobFinalized(
        uint256 indexed jobId,
        address indexed provider,
        address indexed user,
        uint256 tokenCount,
        uint256 providerAmount,
        uint256 feeAmount,
        uint256 refundAmount
    );
    /// @notice A claimed job passed its deadline after its key was delivered: escrow refunded, collateral slashed to
    ///         the user.
    event JobTimedOut(uint256 indexed jobId, address indexed provider, uint256 refund, uint256 collateralSlashed);
    /// @notice A provider was found at fault (committee or fraud proof): escrow refunded, collateral to
    ///         `collateralRecipient`.
    event JobSlashed(
        uint256 indexed jobId, address indexed provider, address indexed collateralRecipient, uint256 refund, uint256 collateralSlashed
    );
    /// @notice A fraud proof showed that chunk `chunkIndex`'s posted ciphertext does not hash to its proven commitment.
    event CiphertextMismatchProven(uint256 indexed jobId, uint256 chunkIndex, uint256 postedDigest, uint256 provenCommitment);
    /// @notice A consumer's `onJobFinalized` was called (with a bounded gas); `success` is whether it returned.
    event ConsumerNotified(uint256 indexed jobId, address indexed consumer, bool success);
    /// @notice Accrued protocol fees of `token` were sent to the treasury.
    event FeesWithdrawn(address indexed token, address indexed treasury, uint256 amount);
    /// @notice A refund to `account` could not be transferred and was credited to its balance instead.
    event PaymentCredited(address indexed token, address indexed account, uint256 amount);
    /// @notice `account` paid `amount` of `token` into its balance.
    event Deposited(address indexed token, address indexed account, uint256 amount);
    /// @notice `account` took `amount` of `token` out of its balance.
    event Withdrawn(address indexed token, address indexed account, uint256 amount);
    /// @notice Governance allowed or disallowed `token` for new jobs and deposits.
    event PaymentTokenSet(address indexed token, bool allowed);
    /// @notice Governance set the protocol fee for jobs created afterwards.
    event FeeSet(uint16 feeBps);
    /// @notice Governance set the fee recipient.
    event TreasurySet(address treasury);
    /// @notice Governance set the windows that apply from the next step that starts each.
    event WindowsSet(uint40 challengeWindow, uint40 disputeWindow, uint40 keyDeliveryWindow);
    /// @notice Governance set the collateral locked by claims made afterwards.
    event CollateralSet(uint80 collateral);
    /// @notice Governance set the share of verifiable results sent to a committee unasked.
    event SampleRateSet(uint16 sampleBps);
    /// @notice Governance set the dispute bond (of the escrow) and the committee's share of a slash (of the
    ///         collateral), for disputes opened afterwards.
    event DisputeTermsSet(uint16 bondBps, uint16 committeeShareBps);

    // ================================================================ errors (each with the values that explain it)

    /// @notice No job has this id.
    error JobUnknown(uint256 jobId);
    /// @notice The job is in `status`; the call needs `expected`.
    error JobNotInStatus(uint256 jobId, JobStatus status, JobStatus expected);
    /// @notice Only the job's provider may call.
    error JobNotProvider(uint256 jobId, address caller);
    /// @notice Only the job's user may call (or anyone after the deadline, for a cancel).
    error JobNotUser(uint256 jobId, address caller);
    /// @notice The job's deadline has passed.
    error JobDeadlinePassed(uint256 jobId, uint40 deadline);
    /// @notice The job's deadline has not passed yet.
    error JobDeadlineNotPassed(uint256 jobId, uint40 deadline);
    /// @notice The job's current window (key, challenge or dispute) is still open until `windowEnd`.
    error JobWindowOpen(uint256 jobId, uint40 windowEnd);
    /// @notice The job's current window (key, challenge or dispute) closed at `windowEnd`.
    error JobWindowClosed(uint256 jobId, uint40 windowEnd);
    /// @notice The job's key was delivered already (or came in the envelope of a named job).
    error JobKeyAlreadyDelivered(uint256 jobId);
    /// @notice 2^40 − 1 jobs exist: the statement's job-id field is full.
    error JobIdSpaceExhausted();
    /// @notice The payment token is not allow-listed for new jobs.
    error CreatePaymentTokenNotAllowed(address token);
    /// @notice The model is not registered as Active.
    error CreateModelNotActive(bytes32 modelId);
    /// @notice maxOutputTokens must be in 1..2^20 − 1.
    error CreateMaxTokensInvalid(uint256 maxOutputTokens);
    /// @notice maxPricePerToken must be positive.
    error CreatePriceZero();
    /// @notice The deadline must be in the future.
    error CreateDeadlineInvalid(uint40 deadline);
    /// @notice minTier must be a defined tier.
    error CreateTierInvalid(uint8 tier);
    /// @notice The key commitment must be a BN254 scalar field element.
    error CreateKeyCommitmentInvalid(uint256 keyCommitment);
    /// @notice Neither an envelope nor its URI and hash were given.
    error CreateInputMissing();
    /// @notice The payment token delivered `received` of the `escrow` it was asked for (fee-on-transfer tokens are
    ///         not supported).
    error CreateEscrowShortfall(uint256 received, uint256 escrow);
    /// @notice `account` holds `balance` of `token` in the market; `needed` was asked for.
    error BalanceInsufficient(address token, address account, uint256 balance, uint256 needed);
    /// @notice Deposits are taken in allow-listed payment tokens only.
    error BalanceTokenNotAllowed(address token);
    /// @notice The token delivered `received` of the `amount` deposited (fee-on-transfer tokens are not supported).
    error BalanceDepositShortfall(uint256 received, uint256 amount);
    /// @notice The job's model was retired after the job was created; it can only be cancelled.
    error ClaimModelRetired(bytes32 modelId);
    /// @notice `None` is not a reason.
    error ReleaseReasonInvalid(ReleaseReason reason);
    /// @notice A result has 1..256 chunks.
    error SubmitChunkCountInvalid(uint256 jobId, uint256 count);
    /// @notice Every chunk but the last holds 1984 bytes; the last 1..1984 (0 only for an empty output).
    error SubmitChunkLengthInvalid(uint256 jobId, uint256 chunkIndex, uint256 byteLength);
    /// @notice A chunk bills at most one token per byte.
    error SubmitTokensExceedBytes(uint256 jobId, uint256 chunkIndex, uint256 tokenCount, uint256 byteLength);
    /// @notice The chunks bill more tokens than the job pays for.
    error SubmitTokensExceedMax(uint256 jobId, uint256 tokenCount, uint256 maxOutputTokens);
    /// @notice The ciphertext must hold ceil(byteLength / 31) elements per chunk.
    error SubmitCiphertextLengthInvalid(uint256 jobId, uint256 length, uint256 expected);
    /// @notice Results post their ciphertext in calldata; a URI cannot be held available for the fraud proof.
    error SubmitCiphertextURIUnsupported(uint256 jobId);
    /// @notice One proof per chunk.
    error SubmitProofCountInvalid(uint256 proofs, uint256 chunks);
    /// @notice A chunk proof (or the batch) did not verify.
    error SubmitProofInvalid();
    /// @notice A batch gives one result per job id.
    error SubmitBatchLengthMismatch(uint256 jobIds, uint256 results);
    /// @notice Only a member of the job's committee may vote.
    error DisputeNotCommitteeMember(uint256 jobId, address caller);
    /// @notice Only the job's user or provider may reveal its secret.
    error DisputeNotParty(uint256 jobId, address caller);
    /// @notice A reveal wraps the secret once per committee member.
    error DisputeRevealCountInvalid(uint256 count, uint256 committeeSize);
    /// @notice Each member votes once.
    error DisputeAlreadyVoted(uint256 jobId, address validator);
    /// @notice The committee has been drawn already.
    error DisputeAlreadyDrawn(uint256 jobId);
    /// @notice The committee is drawn from block `drawBlock`'s hash, not yet.
    error DisputeNotDrawn(uint256 jobId, uint256 drawBlock);
    /// @notice A committee is drawn after `drawBlock` and within the 256 blocks after it.
    error DisputeDrawOutsideWindow(uint256 jobId, uint256 drawBlock, uint256 blockNumber);
    /// @notice The payment token delivered `received` of the `bond` a dispute needs.
    error DisputeBondShortfall(uint256 received, uint256 bond);
    /// @notice The committee may still be drawn until block `lapseBlock`; the dispute lapses after it.
    error DisputeDrawPending(uint256 jobId, uint256 lapseBlock);
    /// @notice The result's sample coin (block `coinBlock`) has not been read yet (`readSampleCoin`): no finalization
    ///         before it is known whether the result goes to a committee.
    error SampleCoinPending(uint256 jobId, uint256 coinBlock);
    /// @notice The job has no sample coin waiting to be read.
    error SampleCoinNotPending(uint256 jobId);
    /// @notice Block `coinBlock`, whose hash is the coin, is not mined yet.
    error SampleCoinNotMined(uint256 jobId, uint256 coinBlock);
    /// @notice The ciphertext given does not hash to the one posted.
    error FraudProofCiphertextMismatch(bytes32 posted, bytes32 recorded);
    /// @notice The commitments given do not hash to the recorded output root.
    error FraudProofCommitmentsMismatch(bytes32 posted, bytes32 recorded);
    /// @notice There is no chunk `chunkIndex`.
    error FraudProofChunkIndexInvalid(uint256 chunkIndex, uint256 chunkCount);
    /// @notice The chunk's posted ciphertext does hash to its proven commitment: no fraud.
    error FraudProofDigestMatches(uint256 chunkIndex, uint256 digest);
    /// @notice The fee is above the hard cap.
    error GovernanceFeeTooHigh(uint16 feeBps, uint16 max);
    /// @notice A window must be within [10 minutes, 30 days].
    error GovernanceWindowInvalid(uint40 window);
    /// @notice The collateral is above the hard cap.
    error GovernanceCollateralTooHigh(uint80 collateral, uint80 max);
    /// @notice The collateral is below the floor (a slash must cost something).
    error GovernanceCollateralTooLow(uint80 collateral, uint80 min);
    /// @notice The sample rate is above 10,000 basis points.
    error GovernanceSampleRateTooHigh(uint16 sampleBps);
    /// @notice The dispute bond and the committee's share are each at most MAX_DISPUTE_BPS.
    error GovernanceDisputeTermsInvalid(uint16 bondBps, uint16 committeeShareBps);
    /// @notice A zero address where one is required.
    error GovernanceZeroAddress();
    /// @notice At most 255 payment tokens can ever be listed.
    error GovernanceTooManyTokens();

    /// @notice Creates a job and escrows maxOutputTokens × maxPricePerToken from the caller. The encrypted envelope
    ///         (wrapped job secret + sealed prompt) is either `envelope` (emitted, not stored) or at `envelopeURI`
    ///         with `envelopeHash`. A job that names its provider starts Claimed: the provider's collateral is locked
    ///         at its offer's price in this transaction (JobCreated then JobClaimed), and creation reverts with the
    ///         registry's reason when the provider cannot take it (not accepting, under-staked, unbonding, no offer
    ///         for the model and token, too expensive, at its offer's capacity, no committee for its class). An open
    ///         job starts Open and waits for `claimJob`.
    function createJob(
        JobRequest calldata request,
        bytes calldata envelope,
        string calldata envelopeURI,
        bytes32 envelopeHash
    ) external returns (uint256 jobId);

    /// @notice `createJob` after an EIP-2612 permit for the escrow (a permit already used by a front-runner is fine).
    function createJobWithPermit(
        JobRequest calldata request,
        bytes calldata envelope,
        string calldata envelopeURI,
        bytes32 envelopeHash,
        uint256 permitDeadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 jobId);

    /// @notice `createJob` paid from the caller's balance in the market instead of by transfer: one transaction, no
    ///         approval. The job's refunds (cancel, release, timeout, slash, the unused rest at settlement) return to
    ///         that balance.
    function createJobFromBalance(
        JobRequest calldata request,
        bytes calldata envelope,
        string calldata envelopeURI,
        bytes32 envelopeHash
    ) external returns (uint256 jobId);

    /// @notice Pays `amount` of an allow-listed payment token into the caller's balance (after approval). Deposits
    ///         and withdrawals never touch any job's escrow.
    function deposit(address token, uint256 amount) external;

    /// @notice `deposit` after an EIP-2612 permit (a permit already used by a front-runner is fine).
    function depositWithPermit(address token, uint256 amount, uint256 permitDeadline, uint8 v, bytes32 r, bytes32 s)
        external;

    /// @notice Sends `amount` of the caller's balance of `token` to the caller: deposits not yet spent, refunds of
    ///         balance-paid jobs, a provider's earnings (every payout to a provider is credited here, withdrawn in one
    ///         transfer for any number of jobs) and payments whose transfer failed.
    function withdraw(address token, uint256 amount) external;

    /// @notice `account`'s balance of `token` in the market.
    function balanceOf(address token, address account) external view returns (uint256);

    /// @notice The sum of all accounts' balances of `token`.
    function totalBalance(address token) external view returns (uint256);

    /// @notice Cancels an Open job and refunds its escrow: by its user at any time, by anyone after its deadline.
    function cancelJob(uint256 jobId) external;

    /// @notice Claims an Open job (one that named no provider) for the caller, locking the current job collateral
    ///         from its stake.
    function claimJob(uint256 jobId) external;

    /// @notice The user wraps the job secret for the claimant of a job that named no provider (event only), before
    ///         the key deadline set by the claim (`windowEnd`, emitted in JobClaimed): claim time + the key delivery
    ///         window, but never more than half the time left to the job's deadline. A later key is refused
    ///         (JobWindowClosed), so a timeout slash only ever follows a key that left the provider at least
    ///         deadline − keyDeadline to work.
    function deliverJobKey(uint256 jobId, bytes32 ephemeralPublicKey, bytes calldata wrappedSecret) external;

    /// @notice The claimant hands the job back, no later than the job's deadline (after it, only `timeoutJob`). No
    ///         slashing. KeyNotDelivered (no key, key window over) refunds the user. Any other reason is taken on the
    ///         provider's word, so it changes nothing that a lie could profit from: a named job is refunded (its
    ///         envelope is sealed to this provider alone), an open job is reopened for anyone with its key to be
    ///         delivered again (its user may cancel it for a full refund).
    function releaseJob(uint256 jobId, ReleaseReason reason) external;

    /// @notice Submits a result with one Groth16 proof per chunk, verified before anything else.
    function submitResult(uint256 jobId, Result calldata result, uint256[8][] calldata proofs) external;

    /// @notice Submits the results of many jobs, checking all their proofs with one `verifyBatch`.
    /// @param proofs All chunks' proofs, job after job, chunk after chunk.
    function submitResults(uint256[] calldata jobIds, Result[] calldata results, uint256[8][] calldata proofs) external;

    /// @notice The user of a job disputes its result during the challenge window. The dispute is committed to the
    ///         hash of the next block; nobody, the disputer included, can know the committee yet. Every job can be
    ///         disputed over its bill: members open the posted output with the revealed secret and the provider is at
    ///         fault when it billed more tokens than the model's tokenizer gives for that output. A verifiable job's
    ///         committee also re-runs it and the provider is at fault when its output is not the model's.
    ///         The user posts a bond (`disputeTerms`: a share of the escrow), from its balance for a job paid from it,
    ///         else by transfer. At fault: the bond comes back with the escrow, and the committee's share of the
    ///         collateral goes to the members who voted fault. Clean: the bond pays the clean voters. No quorum: it
    ///         pays whoever voted (or comes back when nobody did), and each member that never voted gets VoteMissed.
    function dispute(uint256 jobId) external;

    /// @notice Draws a committed dispute's committee from the hash of its `drawBlock`: anyone may call, after that
    ///         block and within the 256 blocks after it. Members are drawn by stake from the model's eligible
    ///         providers of the accused's determinism class (see Committee). If nobody draws in time, the dispute
    ///         lapses: `finalize` settles it for the provider once block `drawBlock + 256` has passed.
    function drawCommittee(uint256 jobId) external;

    /// @notice Reads a submitted result's sample coin: anyone may call once block `coinBlock` (SampleCoinCommitted)
    ///         is mined. The result is sampled with the sample rate's odds (the rate now in force), or for certain when
    ///         nobody read the coin within 256 blocks after `coinBlock` (so a provider gains nothing by leaving it
    ///         unread); a sampled result goes to a committee as a dispute without a disputer or bond. A sampled
    ///         provider must draw the committee and reveal the job's input to it: a sample settled without a reveal
    ///         pays the provider nothing (the user gets the whole escrow back), unless fewer than a quorum could be
    ///         drawn. A result cannot be finalized while its coin is unread.
    function readSampleCoin(uint256 jobId) external;

    /// @notice The job's user or its provider gives the committee of a disputed job its input: the job secret,
    ///         wrapped to each member's registered X25519 key under one ephemeral key, in committee order (event
    ///         only). Members check a revealed secret against the job's key commitment, so a wrong one is ignored
    ///         and either party may reveal again.
    function revealJobSecret(uint256 jobId, bytes32 ephemeralPublicKey, bytes[] calldata wrappedSecrets) external;

    /// @notice A committee member's verdict after re-running the job.
    function voteOnDispute(uint256 jobId, bool providerAtFault) external;

    /// @notice Proves that the posted ciphertext of chunk `chunkIndex` is not the one the proof committed to.
    /// @param ciphertext The whole posted ciphertext (it must hash to the recorded ciphertextHash).
    /// @param outputCommitments The chunks' proven commitments (they must hash to the recorded outputRoot).
    function proveCiphertextMismatch(
        uint256 jobId,
        uint256 chunkIndex,
        uint256[] calldata ciphertext,
        uint256[] calldata outputCommitments
    ) external;

    /// @notice Settles a Submitted job after its challenge window (and its sample coin, if any, read), or a Disputed
    ///         job whose committee reached no quorum by the dispute deadline (or was never drawn within its draw
    ///         window). Anyone may call.
    function finalize(uint256 jobId) external;

    /// @notice `finalize` for many jobs; payouts to one provider in one token are transferred once.
    function finalizeBatch(uint256[] calldata jobIds) external;

    /// @notice Ends a Claimed job past its deadline: refund, and the collateral slashed to the user when the
    ///         provider had the key. Anyone may call.
    function timeoutJob(uint256 jobId) external;

    /// @notice Sends accrued protocol fees of `token` to the treasury. Anyone may call.
    function withdrawFees(address token) external;

    /// @notice A job's stored state.
    function getJob(uint256 jobId) external view returns (Job memory);
    /// @notice A job's receipt (see Receipt).
    function getReceipt(uint256 jobId) external view returns (Receipt memory);
    /// @notice A disputed job's committee and votes.
    function getDispute(uint256 jobId)
        external
        view
        returns (address[] memory committee, uint8 faultVotes, uint8 cleanVotes);
    /// @notice Id the next job will get.
    function nextJobId() external view returns (uint256);
    /// @notice Unclaimed protocol fees per token.
    function accruedFees(address token) external view returns (uint256);
    /// @notice The current parameters (see the governance functions below).
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
        );
    /// @notice The dispute bond and the committee's share of a slash (see setDisputeTerms).
    function disputeTerms() external view returns (uint16 bondBps, uint16 committeeShareBps);
    /// @notice The payment token behind an allow-list id (1-based), and whether it is allowed for new jobs.
    function paymentToken(uint8 id) external view returns (address token, bool allowed);
    /// @notice The immutable dependencies, fixed at deployment.
    function dependencies() external view returns (address verifier, address staking, address models);

    // ================================================================ governance (PARAMS_ROLE / PAUSER_ROLE; no path to funds)

    /// @notice Sets the protocol fee, in basis points of a provider's payment, for jobs created afterwards; at most
    ///         MAX_FEE_BPS (10%).
    function setFeeBps(uint16 feeBps) external;
    /// @notice Sets where `withdrawFees` sends fees.
    function setTreasury(address treasury) external;
    /// @notice Allows or disallows a payment token for new jobs and deposits; live jobs and balances still settle and
    ///         withdraw in it.
    function setPaymentToken(address token, bool allowed) external;
    /// @notice Sets the challenge, dispute and key-delivery windows, each within [10 minutes, 30 days]; a window
    ///         applies from the next step that starts it.
    function setWindows(uint40 challengeWindow, uint40 disputeWindow, uint40 keyDeliveryWindow) external;
    /// @notice Sets the collateral locked per job by claims made afterwards, within [MIN_COLLATERAL, MAX_COLLATERAL].
    function setCollateral(uint80 collateral) external;
    /// @notice Sets the share of verifiable results sent to a committee without a user dispute, in basis points.
    function setSampleBps(uint16 sampleBps) external;
    /// @notice Sets, for disputes opened afterwards, the bond a disputing user posts (basis points of the job's
    ///         escrow) and the share of a slashed collateral paid to the committee members whose verdict found the
    ///         fault (basis points of the collateral, split among them); each at most MAX_DISPUTE_BPS (50%).
    function setDisputeTerms(uint16 bondBps, uint16 committeeShareBps) external;
    /// @notice Stops new jobs and claims (PAUSER_ROLE). Settlement, refunds, deposits and withdrawals go on.
    function pause() external;
    /// @notice Resumes what `pause` stopped.
    function unpause() external;
}
