// @octo/gateway: an OpenAI-compatible HTTP gateway whose every request is an Octo market job paid by its operator.
export { startGateway, type StartGatewayParameters, type StartGatewayReturnType } from "./startGateway.ts";
export { curlExample } from "./curlExample.ts";
export { GatewayError, type GatewayErrorCode, type GatewayErrorType } from "./errors/GatewayError.ts";
export { createApiKey, listApiKeys, revokeApiKey, type ApiKey, type CreateApiKeyParameters } from "./keys/apiKeys.ts";
export { openStore, type Store } from "./store/openStore.ts";
export { octoOptionsSchema, type OctoOptions } from "./api/requestSchemas.ts";
export type { OctoResponseInfo } from "./api/completionBodies.ts";
