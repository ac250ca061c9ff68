// The one error parser of the app: any error a wallet, the RPC, the sdk or a contract throws, as a title and a
// sentence a person can act on. Contract reverts keep the sdk's sentence for their custom error (revertSentences).
import { decodeRevert } from "@octo/sdk";

export type PlainError = { kind: PlainErrorKind; title: string; message: string };
export type PlainErrorKind =
  | "rejected"
  | "revert"
  | "rpc"
  | "gas"
  | "noWallet"
  | "wrongNetwork"
  | "noProvider"
  | "stream"
  | "wrongKey"
  | "unknown";

type ErrorLike = {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  shortMessage?: unknown;
  cause?: unknown;
  url?: unknown;
};

/** The error and its causes, outermost first (viem and the sdk chain them with `cause`). */
function chain(error: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 16; e = (e as ErrorLike).cause, depth++)
    out.push(e as ErrorLike);
  return out;
}
const has = (errors: ErrorLike[], test: (e: ErrorLike) => boolean) => errors.some(test);
const named =
  (...names: string[]) =>
  (e: ErrorLike) =>
    typeof e.name === "string" && names.includes(e.name);
const text = (e: ErrorLike) => `${String(e.shortMessage ?? "")} ${String(e.message ?? "")}`;

export function plainError(error: unknown): PlainError {
  const errors = chain(error);
  if (
    has(
      errors,
      (e) => e.code === 4001 || named("UserRejectedRequestError")(e) || /user (rejected|denied)/i.test(text(e)),
    )
  )
    return {
      kind: "rejected",
      title: "You declined in your wallet",
      message: "Nothing was sent and nothing was paid. You can try again when ready.",
    };
  const revert = errors.find(named("ContractRevertedError")) ?? decodeRevert(error);
  if (revert)
    return { kind: "revert", title: "The contract refused", message: String(revert.shortMessage ?? revert.message) };
  if (
    has(
      errors,
      named(
        "AccountNotFoundError",
        "ConnectorNotConnectedError",
        "ConnectorAccountNotFoundError",
        "ProviderNotFoundError",
      ),
    )
  )
    return {
      kind: "noWallet",
      title: "No wallet connected",
      message: "Connect a wallet (a browser extension such as MetaMask or Rabby) to pay for a job or run a provider.",
    };
  if (has(errors, named("ChainMismatchError", "SwitchChainError", "ChainNotConfiguredError")))
    return {
      kind: "wrongNetwork",
      title: "Wrong network",
      message: "Your wallet is on another network than this market. Switch networks in your wallet and try again.",
    };
  if (has(errors, named("InsufficientFundsError")))
    return {
      kind: "gas",
      title: "Not enough for gas",
      message:
        "Your account cannot pay the network fee for this transaction. Add some of the chain's native token and try again.",
    };
  if (has(errors, named("NoProviderError")))
    return {
      kind: "noProvider",
      title: "No provider qualifies",
      message:
        "No provider offers this model under your routing choice right now. Lower the minimum tier, choose another policy, or try later.",
    };
  if (has(errors, named("StreamError")))
    return {
      kind: "stream",
      title: "The provider's live stream is unreachable",
      message: "The answer will appear when the provider posts it on-chain; nothing is lost.",
    };
  if (has(errors, named("JobKeyMismatchError")))
    return {
      kind: "wrongKey",
      title: "This wallet's key does not open the job",
      message: "The job was created from another wallet or with a key file. Connect the wallet that paid for it.",
    };
  if (
    has(
      errors,
      (e) =>
        named("HttpRequestError", "TimeoutError", "WebSocketRequestError")(e) ||
        /failed to fetch|fetch failed|network ?error|ECONNREFUSED/i.test(text(e)),
    )
  ) {
    const url = errors.map((e) => e.url).find((u): u is string => typeof u === "string");
    return {
      kind: "rpc",
      title: "The network is not answering",
      message: `The RPC${url ? ` (${url})` : ""} did not answer. Check your connection, or try again in a moment; nothing was lost.`,
    };
  }
  const first = errors[0];
  return {
    kind: "unknown",
    title: "Something went wrong",
    message: first ? String(first.shortMessage ?? first.message ?? first) : String(error),
  };
}
