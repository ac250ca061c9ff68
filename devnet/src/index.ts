// @octo/devnet: local development chains (Node only, never for a real network).
export { DEV_KEYS, DEV_ROLES } from "./devAccounts.ts";
export {
  DEPLOY_PARAMETERS,
  DEPLOY_PLAN,
  type PlanArgument,
  type PlanContractName,
  type PlanParameterName,
} from "./deployPlan.ts";
export {
  deployMarket,
  readArtifact,
  DEFAULT_ARTIFACTS_DIR,
  type Artifact,
  type DeployMarketParameters,
  type DeployMarketReturnType,
} from "./deployMarket.ts";
export { freePort, startAnvil, type Anvil } from "./startAnvil.ts";
export {
  startDevnet,
  type Devnet,
  type ModelSpec,
  type RegisterProviderParameters,
  type StartDevnetParameters,
} from "./startDevnet.ts";
export { fundAccount, NotADevnetError, type FundAccountParameters, type FundAccountReturnType } from "./fundAccount.ts";
export {
  registerDevModel,
  type RegisterDevModelParameters,
  type RegisterDevModelReturnType,
} from "./registerDevModel.ts";
