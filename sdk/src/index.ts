// @octo/sdk: the client library of the Octo market. Browser-safe: viem and @octo/circuits, no Node built-ins.
// Actions take a viem client first (`createJob(client, { deployments, … })`), or bind to one with
// `client.extend(octoActions({ deployments }))`.
export * from "./generated/abis.ts";
export * from "./generated/enums.ts";
export { octoErrorAbi } from "./generated/errorAbi.ts";

export { BaseError, type BaseErrorParameters } from "./errors/BaseError.ts";
export {
  AccountNotFoundError,
  DeploymentsError,
  InvalidInputError,
  JobKeyMismatchError,
  JobNotFoundError,
  NoProviderError,
  ResultNotFoundError,
  SamplingNotVerifiableError,
  StreamError,
  TransactionRevertedError,
} from "./errors/errors.ts";
export { ContractRevertedError, decodeRevert, type DecodeRevertReturnType } from "./errors/decodeRevert.ts";
export { revertSentences, type OctoErrorArgs, type OctoErrorName } from "./errors/revertSentences.ts";

export {
  deploymentsSchema,
  parseDeployments,
  serializeDeployments,
  type Deployment,
  type Deployments,
  type DeploymentsFile,
} from "./deployments.ts";
export type { OctoClient } from "./internal/client.ts";

export {
  assertDecodingFits,
  decodeJobInput,
  encodeJobInput,
  isSampledDecoding,
  renderJobInput,
  JOB_INPUT_VERSION,
  type ChatMessage,
  type DecodedJobInput,
  type DecodingParameters,
  type JobInput,
} from "./job/jobInput.ts";
export { renderChatTemplate, type ChatTemplate } from "./job/renderChatTemplate.ts";
export {
  deriveJobSecret,
  exportKeyFile,
  generateJobNonce,
  generateUserKey,
  importKeyFile,
  userKeyFromSignature,
  userKeyMessage,
  JOB_NONCE_BYTES,
  type DeriveJobSecretParameters,
  type KeyFile,
  type UserKey,
} from "./job/userKey.ts";

export { cancelJob, type CancelJobParameters, type CancelJobReturnType } from "./actions/cancelJob.ts";
export { deposit, type DepositParameters, type DepositReturnType } from "./actions/deposit.ts";
export { getBalance, type GetBalanceParameters, type GetBalanceReturnType } from "./actions/getBalance.ts";
export { withdraw, type WithdrawParameters, type WithdrawReturnType } from "./actions/withdraw.ts";
export { createJob, type CreateJobParameters, type CreateJobReturnType } from "./actions/createJob.ts";
export { deliverJobKey, type DeliverJobKeyParameters, type DeliverJobKeyReturnType } from "./actions/deliverJobKey.ts";
export { dispute, type DisputeParameters, type DisputeReturnType } from "./actions/dispute.ts";
export { drawCommittee, type DrawCommitteeParameters, type DrawCommitteeReturnType } from "./actions/drawCommittee.ts";
export { getJob, type GetJobErrorType, type GetJobParameters, type GetJobReturnType } from "./actions/getJob.ts";
export {
  getResult,
  type GetResultErrorType,
  type GetResultParameters,
  type GetResultReturnType,
} from "./actions/getResult.ts";
export { getUserKey, type GetUserKeyParameters, type GetUserKeyReturnType } from "./actions/getUserKey.ts";
export { listModels, type ListModelsParameters, type ListModelsReturnType, type Model } from "./actions/listModels.ts";
export { listOffers, type ListOffersParameters, type ListOffersReturnType, type Offer } from "./actions/listOffers.ts";
export { openResult, type OpenResultParameters, type OpenResultReturnType } from "./actions/openResult.ts";
export { quoteJob, type QuoteJobParameters, type QuoteJobReturnType } from "./actions/quoteJob.ts";
export { reclaim, type ReclaimParameters, type ReclaimReturnType } from "./actions/reclaim.ts";
export {
  recoverJobSecret,
  type RecoverJobSecretParameters,
  type RecoverJobSecretReturnType,
} from "./actions/recoverJobSecret.ts";
export {
  revealJobSecret,
  type RevealJobSecretParameters,
  type RevealJobSecretReturnType,
} from "./actions/revealJobSecret.ts";
export {
  selectProvider,
  type SelectionPolicy,
  type SelectProviderErrorType,
  type SelectProviderParameters,
  type SelectProviderReturnType,
} from "./actions/selectProvider.ts";
export {
  verifyReceipt,
  type ReceiptCheck,
  type VerifyReceiptParameters,
  type VerifyReceiptReturnType,
} from "./actions/verifyReceipt.ts";
export {
  wrapJobSecretForCommittee,
  type WrapJobSecretForCommitteeParameters,
  type WrapJobSecretForCommitteeReturnType,
} from "./actions/wrapJobSecretForCommittee.ts";
export { watchJob, type JobEvent, type WatchJobParameters, type WatchJobReturnType } from "./actions/watchJob.ts";

export { octoActions, type OctoActions } from "./decorators/octoActions.ts";

export {
  deriveEncryptionKey,
  ENCRYPTION_KEY_MESSAGE,
  type DeriveEncryptionKeyReturnType,
  type EncryptionKeySigner,
} from "./provider/deriveEncryptionKey.ts";
