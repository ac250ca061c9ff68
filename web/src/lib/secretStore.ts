// Keys this tab holds, in memory only: the user key (one wallet signature per market and account) and the secrets
// of jobs created or opened here. A reload forgets them; the wallet derives them again (getUserKey,
// recoverJobSecret), so nothing that opens a prompt or an answer is ever written to storage.
import type { UserKey } from "@octo/sdk";

const userKeys = new Map<string, UserKey>();
const jobSecrets = new Map<string, Uint8Array>();
const listeners = new Set<() => void>();
let version = 0;

const changed = () => {
  version++;
  for (const l of listeners) l();
};

export const secretStore = {
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  version: () => version,
  userKey: (chainId: number, address: string) => userKeys.get(`${chainId}:${address.toLowerCase()}`),
  setUserKey(chainId: number, address: string, key: UserKey) {
    userKeys.set(`${chainId}:${address.toLowerCase()}`, key);
    changed();
  },
  jobSecret: (chainId: number, jobId: bigint) => jobSecrets.get(`${chainId}:${jobId}`),
  setJobSecret(chainId: number, jobId: bigint, secret: Uint8Array) {
    jobSecrets.set(`${chainId}:${jobId}`, secret);
    changed();
  },
};
