// One sentence per custom error the contracts can revert with, saying what happened and, where it helps, what to do.
// The table is keyed by the generated error ABI: a new error in the contracts fails the typecheck here until it has
// its sentence, and a removed one fails as an excess key.
import type { ContractErrorArgs, ContractErrorName } from "viem";
import { JobStatusNames, IneligibleReasonNames, ModelStatusNames, ReleaseReasonNames } from "../generated/enums.ts";
import type { octoErrorAbi } from "../generated/errorAbi.ts";

export type OctoErrorName = ContractErrorName<typeof octoErrorAbi>;
export type OctoErrorArgs<N extends OctoErrorName> = ContractErrorArgs<typeof octoErrorAbi, N>;

const time = (t: number | bigint) => new Date(Number(t) * 1000).toISOString();
const status = (s: number) => JobStatusNames[s] ?? `status ${s}`;

export const revertSentences: { [N in OctoErrorName]: (args: OctoErrorArgs<N>) => string } = {
  // OpenZeppelin: access control, pausing, reentrancy, tokens, signatures
  AccessControlBadConfirmation: () => "An account can only renounce a role for itself.",
  AccessControlUnauthorizedAccount: ([account, role]) => `${account} lacks the role ${role} this call requires.`,
  EnforcedPause: () => "The market is paused by governance: new jobs and claims are refused until it is unpaused.",
  ExpectedPause: () => "This call is only allowed while the market is paused.",
  ReentrancyGuardReentrantCall: () => "A call tried to re-enter the market while it was still running.",
  SafeERC20FailedOperation: ([token]) => `The token ${token} refused a transfer.`,
  ERC20InsufficientAllowance: ([spender, allowance, needed]) =>
    `The market (${spender}) may spend ${allowance} of your tokens but needs ${needed}: approve more, or pay with a permit.`,
  ERC20InsufficientBalance: ([sender, balance, needed]) =>
    `${sender} holds ${balance} tokens but ${needed} are needed.`,
  ERC20InvalidApprover: ([approver]) => `${approver} cannot approve (the zero address).`,
  ERC20InvalidReceiver: ([receiver]) => `Tokens cannot be sent to ${receiver}.`,
  ERC20InvalidSender: ([sender]) => `Tokens cannot be sent from ${sender}.`,
  ERC20InvalidSpender: ([spender]) => `${spender} cannot be approved as a spender.`,
  ERC2612ExpiredSignature: ([deadline]) => `The permit expired at ${time(deadline)}: sign a new one.`,
  ERC2612InvalidSigner: ([signer, owner]) => `The permit was signed by ${signer}, not by the token owner ${owner}.`,
  ECDSAInvalidSignature: () => "The signature is invalid.",
  ECDSAInvalidSignatureLength: ([length]) => `The signature has ${length} bytes; 65 are expected.`,
  ECDSAInvalidSignatureS: () => "The signature is malleable (its s value is in the upper half).",
  InvalidAccountNonce: ([account, nonce]) => `${account}'s permit nonce is now ${nonce}: sign again with it.`,
  InvalidShortString: () => "A token name or symbol is too long.",
  StringTooLong: ([str]) => `The string "${str}" is too long.`,
  // jobs
  JobUnknown: ([jobId]) => `Job ${jobId} does not exist.`,
  JobNotInStatus: ([jobId, s, expected]) => `Job ${jobId} is ${status(s)}; this needs it ${status(expected)}.`,
  JobNotProvider: ([jobId, caller]) => `${caller} is not the provider of job ${jobId}.`,
  JobNotUser: ([jobId, caller]) => `${caller} did not create job ${jobId}.`,
  JobDeadlinePassed: ([jobId, deadline]) => `Job ${jobId}'s deadline passed at ${time(deadline)}.`,
  JobDeadlineNotPassed: ([jobId, deadline]) => `Job ${jobId}'s deadline is ${time(deadline)}; wait until then.`,
  JobWindowOpen: ([jobId, end]) => `Job ${jobId}'s window is open until ${time(end)}; try again after it.`,
  JobWindowClosed: ([jobId, end]) => `Job ${jobId}'s window closed at ${time(end)}.`,
  JobKeyAlreadyDelivered: ([jobId]) => `Job ${jobId}'s key was already delivered.`,
  JobIdSpaceExhausted: () => "The market has issued every job id it can (2^40).",
  CreatePaymentTokenNotAllowed: ([token]) => `The market does not accept ${token} as payment.`,
  CreateModelNotActive: ([modelId]) => `Model ${modelId} is not active in the registry.`,
  CreateMaxTokensInvalid: ([n]) => `A job must ask for 1 to 2^20 - 1 output tokens, not ${n}.`,
  CreatePriceZero: () => "The most you pay per token must be above zero.",
  CreateDeadlineInvalid: ([deadline]) => `The deadline ${time(deadline)} is in the past or too far away.`,
  CreateTierInvalid: ([tier]) => `There is no hardware tier ${tier}.`,
  CreateKeyCommitmentInvalid: ([c]) => `The key commitment ${c} is not a field element.`,
  CreateInputMissing: () => "A job needs its input: an envelope, or a URI with the envelope's hash.",
  ClaimModelRetired: ([modelId]) => `Model ${modelId} was retired: its open jobs can no longer be claimed.`,
  ReleaseReasonInvalid: ([reason]) => `${ReleaseReasonNames[reason] ?? reason} is not a reason to release a job.`,
  // results
  SubmitChunkCountInvalid: ([jobId, count]) => `Job ${jobId}'s result has ${count} chunks; a result has 1 to 256.`,
  SubmitChunkLengthInvalid: ([jobId, i, length]) =>
    `Job ${jobId}'s chunk ${i} has ${length} bytes: every chunk but the last must be full (1984).`,
  SubmitTokensExceedBytes: ([jobId, i, tokens, bytes]) =>
    `Job ${jobId}'s chunk ${i} bills ${tokens} tokens for only ${bytes} bytes.`,
  SubmitTokensExceedMax: ([jobId, tokens, max]) =>
    `Job ${jobId}'s result bills ${tokens} tokens; the job pays for at most ${max}.`,
  SubmitCiphertextLengthInvalid: ([jobId, length, expected]) =>
    `Job ${jobId}'s posted ciphertext has ${length} elements; its chunks need ${expected}.`,
  SubmitCiphertextURIUnsupported: ([jobId]) =>
    `Job ${jobId}'s result must post its ciphertext on-chain: a ciphertext URI cannot be held available.`,
  BalanceInsufficient: ([token, account, balance, needed]) =>
    `${account} holds ${balance} of ${token} in the market; ${needed} is needed: deposit more or pay by transfer.`,
  BalanceTokenNotAllowed: ([token]) => `${token} is not a payment token of this market; deposits are refused.`,
  BalanceDepositShortfall: ([received, amount]) =>
    `The token delivered ${received} of the ${amount} deposited (fee-on-transfer tokens are not supported).`,
  CreateEscrowShortfall: ([received, escrow]) =>
    `The market received ${received} tokens for an escrow of ${escrow}: tokens that charge a fee on transfer cannot pay for jobs.`,
  SubmitProofCountInvalid: ([proofs, chunks]) => `${proofs} proofs were given for ${chunks} chunks.`,
  SubmitProofInvalid: () => "A chunk proof did not verify: the result is refused.",
  SubmitBatchLengthMismatch: ([ids, results]) => `${ids} job ids were given with ${results} results.`,
  ResultStatementJobIdTooLarge: ([jobId]) => `Job id ${jobId} does not fit the proof statement.`,
  ResultStatementChunkIndexTooLarge: ([i]) => `Chunk index ${i} does not fit the proof statement.`,
  ResultStatementByteLengthTooLarge: ([n]) => `A chunk of ${n} bytes does not fit the proof statement.`,
  ResultStatementTokenCountTooLarge: ([n]) => `${n} tokens do not fit the proof statement.`,
  ResultStatementMaxTokensTooLarge: ([n]) => `A limit of ${n} tokens does not fit the proof statement.`,
  OutputDigestTooManyElements: ([n]) => `${n} ciphertext elements are more than one chunk holds.`,
  // disputes and fraud proofs
  DisputeNotCommitteeMember: ([jobId, caller]) => `${caller} is not on job ${jobId}'s dispute committee.`,
  DisputeNotParty: ([jobId, caller]) => `${caller} is neither the user nor the provider of job ${jobId}.`,
  DisputeRevealCountInvalid: ([count, size]) => `${count} wrapped secrets were given for a committee of ${size}.`,
  DisputeAlreadyVoted: ([jobId, validator]) => `${validator} already voted on job ${jobId}.`,
  DisputeAlreadyDrawn: ([jobId]) => `Job ${jobId}'s committee is already drawn.`,
  DisputeDrawOutsideWindow: ([jobId, drawBlock, blockNumber]) =>
    `Job ${jobId}'s committee can be drawn from block ${drawBlock + 1n} to ${drawBlock + 256n}; this is block ${blockNumber}.`,
  DisputeBondShortfall: ([received, bond]) =>
    `The market received ${received} tokens for a dispute bond of ${bond}: tokens that charge a fee on transfer cannot pay it.`,
  DisputeDrawPending: ([jobId, lapseBlock]) =>
    `Job ${jobId}'s committee may still be drawn until block ${lapseBlock}; it settles after that.`,
  SampleCoinPending: ([jobId, coinBlock]) =>
    `Job ${jobId}'s sample coin (block ${coinBlock}) is unread: read it (readSampleCoin) before finalizing.`,
  SampleCoinNotPending: ([jobId]) => `Job ${jobId} has no sample coin waiting to be read.`,
  SampleCoinNotMined: ([jobId, coinBlock]) =>
    `Job ${jobId}'s sample coin is the hash of block ${coinBlock}, which is not mined yet.`,
  DisputeNotDrawn: ([jobId, drawBlock]) =>
    `Job ${jobId}'s committee is not drawn yet: draw it once block ${drawBlock} is mined (drawCommittee).`,
  SortitionWeightTooLarge: ([weight]) => `A stake weight of ${weight} does not fit the committee's sortition tree.`,
  FraudProofCiphertextMismatch: ([posted, recorded]) =>
    `The ciphertext given hashes to ${posted}, not to the recorded ${recorded}.`,
  FraudProofCommitmentsMismatch: ([posted, recorded]) =>
    `The commitments given hash to ${posted}, not to the recorded ${recorded}.`,
  FraudProofChunkIndexInvalid: ([i, count]) => `Chunk ${i} does not exist: the result has ${count}.`,
  FraudProofDigestMatches: ([i]) =>
    `Chunk ${i}'s posted ciphertext matches its commitment: there is no fraud to prove.`,
  // governance
  GovernanceFeeTooHigh: ([fee, max]) => `A fee of ${fee} bps is above the cap of ${max}.`,
  GovernanceWindowInvalid: ([w]) => `A window of ${w} seconds is out of bounds.`,
  GovernanceCollateralTooLow: ([c, min]) => `A collateral of ${c} is below the floor of ${min}.`,
  GovernanceCollateralTooHigh: ([c, max]) => `A collateral of ${c} is above the cap of ${max}.`,
  GovernanceDisputeTermsInvalid: ([bond, share]) =>
    `A dispute bond of ${bond} bps or a committee share of ${share} bps is above the 5,000 bps cap.`,
  GovernanceSampleRateTooHigh: ([bps]) => `A sample rate of ${bps} bps is above the cap.`,
  GovernanceZeroAddress: () => "The zero address is not allowed here.",
  GovernanceTooManyTokens: () => "The market accepts no more payment tokens.",
  // models
  ModelAlreadyRegistered: ([id]) => `Model ${id} is already registered.`,
  ModelUnknown: ([id]) => `Model ${id} is not registered.`,
  ModelStatusTransitionInvalid: ([id, from, to]) =>
    `Model ${id} cannot go from ${ModelStatusNames[from]} to ${ModelStatusNames[to]}.`,
  ModelTierInvalid: ([tier]) => `There is no hardware tier ${tier}.`,
  // staking
  StakingMarketAlreadyBound: ([market]) => `The staking registry is already bound to the market ${market}.`,
  StakingCallerNotMarket: ([caller]) => `${caller} is not the job market.`,
  StakingTierInvalid: ([tier]) => `There is no hardware tier ${tier}.`,
  StakingTierMinimumInvalid: ([tier, minimum]) => `A minimum stake of ${minimum} is out of bounds for tier ${tier}.`,
  StakingTooManyModels: ([provider, max]) =>
    `${provider} already offers ${max} models, the most one provider may offer.`,
  StakingAlreadyRegistered: ([p]) => `${p} is already a registered provider.`,
  StakingNotRegistered: ([p]) => `${p} is not a registered provider.`,
  StakingAmountZero: () => "The amount must be above zero.",
  StakingInsufficientFreeStake: ([p, free, needed]) => `${p} has ${free} free stake; ${needed} is needed: stake more.`,
  StakingUnbondNotReady: ([p, at]) => `${p}'s unbonding completes at ${time(at)}.`,
  StakingNothingToWithdraw: ([p]) => `${p} has nothing to withdraw.`,
  StakingUnbondingDelayTooLong: ([d, max]) => `An unbonding delay of ${d} s is above the cap of ${max} s.`,
  StakingOfferNotFound: ([p, modelId, token]) => `${p} makes no offer for model ${modelId} in ${token}.`,
  StakingOfferPriceZero: () => "An offer's price must be above zero.",
  StakingOfferCapacityZero: () => "An offer must take at least one job at a time.",
  StakingProviderAtCapacity: ([p, active, capacity]) =>
    `${p} already runs ${active} jobs, its offer's capacity of ${capacity}: name another provider or try later.`,
  StakingClassChangeWhileLocked: ([p, modelId, locked]) =>
    `${p} has ${locked} collateral locked by live jobs; its determinism class for model ${modelId} can change only once they end.`,
  StakingCommitteeTooThin: ([p, klass, others, required]) =>
    `${p} runs determinism class ${klass} with ${others} other eligible providers; ${required} are needed so that a dispute can be re-run.`,
  StakingMinValidatorsTooHigh: ([minimum, max]) => `A minimum of ${minimum} validators is above the cap of ${max}.`,
  StakingProviderIneligible: ([p, reason]) => `${p} cannot take the job: ${IneligibleReasonNames[reason] ?? reason}.`,
  StakingOfferTooExpensive: ([p, price, max]) => `${p} charges ${price} per token; the job pays at most ${max}.`,
  StakingSlashExceedsCollateral: ([amount, collateral]) => `A slash of ${amount} exceeds the collateral ${collateral}.`,
  StakingUnlockExceedsLocked: ([p, locked, amount]) => `${p} has ${locked} locked; ${amount} cannot be unlocked.`,
  // libraries
  BoundedCallGasInsufficient: ([available, needed]) =>
    `Only ${available} gas is left for a callback that needs ${needed}.`,
};
