// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IJobMarket
/// @notice Escrowed inference jobs: create → claim → submit (Groth16-verified) → challenge window → finalize, with
///         cancel, release, timeout, dispute by committee and an on-chain fraud proof for a posted ciphertext.
/// @dev State machine (each arrow one function, each emitting one event):
///        createJob (open job)→ Open; createJob (named job: the provider's collateral locked at once)→ Claimed
///        Open ─claimJob→ Claimed ─submitResult→ Submitted ─finalize (after window)→ Finalized
///        Open ─cancelJob→ Cancelled                     Submitted ─dispute / sampling→ Disputed
///        Claimed ─releaseJob(open job)→ Open            Disputed ─committee: provider right / no quorum→ Finalized
///        Claimed ─releaseJob(named job, or key not delivered)→ Refunded    Disputed ─committee: wrong→ Slashed
///        Claimed ─timeoutJob (key delivered)→ TimedOut  Submitted|Disputed ─proveCiphertextMismatch→ Slashed
///        Claimed ─timeoutJob (key never delivered)→ Refunded
///      Terminal states: Finalized, Cancelled, TimedOut, Slashed, Refunded. A job in a terminal state never moves
///      again, and its escrow has left the market exactly once.
///      Accounting invariant: for each payment token, the market's balance equals the escrow of its live jobs plus
///      its unclaimed fees plus the credits not yet withdrawn (payments whose transfer failed).
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

    event JobCreated(
        uint256 indexed jobId,
        address indexed user,
        bytes32 indexed modelId,
        JobRequest request,
        uint256 escrow,
        bytes32 inputHash,
        bytes envelope,
        string envelopeURI
    );
    event JobCancelled(uint256 indexed jobId, address indexed user, uint256 refund);
    event JobClaimed(
        uint256 indexed jobId, address indexed provider, uint256 pricePerToken, uint256 collateral, uint40 keyDeadline
    );
    event JobKeyDelivered(uint256 indexed jobId, address indexed provider, bytes32 ephemeralPublicKey, bytes wrappedSecret);
    event JobReleased(uint256 indexed jobId, address indexed provider, ReleaseReason reason, uint256 refund);
    /// @notice A claimed job's result was accepted: every chunk proof verified against the job's key commitment.
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
    /// @notice A dispute is committed; its committee will be drawn from the hash of block `drawBlock`.
    event DisputeOpened(uint256 indexed jobId, address indexed disputer, uint256 drawBlock);
    /// @notice A dispute's committee was drawn (`drawCommittee`); votes are open until `disputeEnd` (which is the
    ///         draw's own time when fewer than a quorum could be drawn: the dispute then settles for the provider).
    event JobDisputed(uint256 indexed jobId, address indexed disputer, address[] committee, uint40 disputeEnd);
    event JobSecretRevealed(
        uint256 indexed jobId, address indexed revealer, bytes32 ephemeralPublicKey, bytes[] wrappedSecrets
    );
    event DisputeVoted(uint256 indexed jobId, address indexed validator, bool providerAtFault);
    event JobFinalized(
        uint256 indexed jobId,
        address indexed provider,
        address indexed user,
        uint256 tokenCount,
        uint256 providerAmount,
        uint256 feeAmount,
        uint256 refundAmount
    );
    event JobTimedOut(uint256 indexed jobId, address indexed provider, uint256 refund, uint256 collateralSlashed);
    event JobSlashed(
        uint256 indexed jobId, address indexed provider, address indexed collateralRecipient, uint256 refund, uint256 collateralSlashed
    );
    event CiphertextMismatchProven(uint256 indexed jobId, uint256 chunkIndex, uint256 postedDigest, uint256 provenCommitment);
    event ConsumerNotified(uint256 indexed jobId, address indexed consumer, bool success);
    event FeesWithdrawn(address indexed token, address indexed treasury, uint256 amount);
    /// @notice A payment or refund to `account` could not be transferred and was credited instead.
    event PaymentCredited(address indexed token, address indexed account, uint256 amount);
    event CreditWithdrawn(address indexed token, address indexed account, uint256 amount);
    event PaymentTokenSet(address indexed token, bool allowed);
    event FeeSet(uint16 feeBps);
    event TreasurySet(address treasury);
    event WindowsSet(uint40 challengeWindow, uint40 disputeWindow, uint40 keyDeliveryWindow);
    event CollateralSet(uint80 collateral);
    event SampleRateSet(uint16 sampleBps);

    error JobUnknown(uint256 jobId);
    error JobNotInStatus(uint256 jobId, JobStatus status, JobStatus expected);
    error JobNotProvider(uint256 jobId, address caller);
    error JobNotUser(uint256 jobId, address caller);
    error JobDeadlinePassed(uint256 jobId, uint40 deadline);
    error JobDeadlineNotPassed(uint256 jobId, uint40 deadline);
    error JobWindowOpen(uint256 jobId, uint40 windowEnd);
    error JobWindowClosed(uint256 jobId, uint40 windowEnd);
    error JobKeyAlreadyDelivered(uint256 jobId);
    error JobIdSpaceExhausted();
    error CreatePaymentTokenNotAllowed(address token);
    error CreateModelNotActive(bytes32 modelId);
    error CreateMaxTokensInvalid(uint256 maxOutputTokens);
    error CreatePriceZero();
    error CreateDeadlineInvalid(uint40 deadline);
    error CreateTierInvalid(uint8 tier);
    error CreateKeyCommitmentInvalid(uint256 keyCommitment);
    error CreateInputMissing();
    /// @notice The payment token delivered `received` of the `escrow` it was asked for (fee-on-transfer tokens are
    ///         not supported).
    error CreateEscrowShortfall(uint256 received, uint256 escrow);
    error ClaimModelRetired(bytes32 modelId);
    error ReleaseReasonInvalid(ReleaseReason reason);
    error SubmitChunkCountInvalid(uint256 count);
    error SubmitChunkLengthInvalid(uint256 chunkIndex, uint256 byteLength);
    error SubmitTokensExceedBytes(uint256 chunkIndex, uint256 tokenCount, uint256 byteLength);
    error SubmitTokensExceedMax(uint256 tokenCount, uint256 maxOutputTokens);
    error SubmitCiphertextLengthInvalid(uint256 length, uint256 expected);
    /// @notice Results post their ciphertext in calldata; a URI cannot be held available for the fraud proof.
    error SubmitCiphertextURIUnsupported();
    error SubmitProofCountInvalid(uint256 proofs, uint256 chunks);
    error SubmitProofInvalid();
    error SubmitBatchLengthMismatch(uint256 jobIds, uint256 results);
    error DisputeNotCommitteeMember(uint256 jobId, address caller);
    error DisputeNotParty(uint256 jobId, address caller);
    error DisputeRevealCountInvalid(uint256 count, uint256 committeeSize);
    error DisputeAlreadyVoted(uint256 jobId, address validator);
    error DisputeAlreadyDrawn(uint256 jobId);
    error DisputeNotDrawn(uint256 jobId, uint256 drawBlock);
    error DisputeDrawOutsideWindow(uint256 jobId, uint256 drawBlock, uint256 blockNumber);
    error DisputeDrawPending(uint256 jobId, uint256 lapseBlock);
    error FraudProofCiphertextMismatch(bytes32 posted, bytes32 recorded);
    error FraudProofCommitmentsMismatch(bytes32 posted, bytes32 recorded);
    error FraudProofChunkIndexInvalid(uint256 chunkIndex, uint256 chunkCount);
    error FraudProofDigestMatches(uint256 chunkIndex, uint256 digest);
    error GovernanceFeeTooHigh(uint16 feeBps, uint16 max);
    error GovernanceWindowInvalid(uint40 window);
    error GovernanceCollateralTooHigh(uint80 collateral, uint80 max);
    error GovernanceCollateralTooLow(uint80 collateral, uint80 min);
    error GovernanceSampleRateTooHigh(uint16 sampleBps);
    error GovernanceZeroAddress();
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
    function dispute(uint256 jobId) external;

    /// @notice Draws a committed dispute's committee from the hash of its `drawBlock`: anyone may call, after that
    ///         block and within the 256 blocks after it. Members are drawn by stake from the model's eligible
    ///         providers of the accused's determinism class (see Committee). If nobody draws in time, the dispute
    ///         lapses: `finalize` settles it for the provider once block `drawBlock + 256` has passed.
    function drawCommittee(uint256 jobId) external;

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

    /// @notice Settles a Submitted job after its challenge window, or a Disputed job whose committee reached no
    ///         quorum by the dispute deadline (or was never drawn within its draw window). Anyone may call.
    function finalize(uint256 jobId) external;

    /// @notice `finalize` for many jobs; payouts to one provider in one token are transferred once.
    function finalizeBatch(uint256[] calldata jobIds) external;

    /// @notice Ends a Claimed job past its deadline: refund, and the collateral slashed to the user when the
    ///         provider had the key. Anyone may call.
    function timeoutJob(uint256 jobId) external;

    /// @notice Sends the caller its credit in `token`: payments and refunds whose transfer failed when they were due
    ///         (e.g. while the token's issuer blocked the caller). Settlement never waits on a transfer to one party.
    function withdrawCredit(address token) external;

    /// @notice `account`'s credit in `token` (see withdrawCredit).
    function creditOf(address token, address account) external view returns (uint256);

    /// @notice All accounts' credits in `token`.
    function totalCredit(address token) external view returns (uint256);

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
}
