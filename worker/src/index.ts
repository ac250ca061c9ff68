// @octo/worker as a library: what `npm start` and other embedders need to run a provider in-process. The daemon's
// command line (src/cli/main.ts) is the usual way in.
export { startWorker, type RunningWorker } from "./daemon/startWorker.ts";
export { loadConfig } from "./config/loadConfig.ts";
export { createLogger } from "./ops/createLogger.ts";
export { deriveEncryptionKey } from "./daemon/deriveEncryptionKey.ts";
