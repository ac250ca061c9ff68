// API keys: a random secret shown once at creation, stored only as its SHA-256. Each key may carry a spending limit
// (payment-token units, checked before a job is paid and charged with the job's escrow until it settles) and a rate
// limit (requests per minute, counted in memory: a restart forgets the last minute).
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { GatewayError } from "../errors/GatewayError.ts";
import type { Store } from "../store/openStore.ts";

export type ApiKey = {
  id: string;
  name: string;
  createdAt: number;
  revokedAt: number | undefined;
  spendLimit: bigint | undefined;
  spent: bigint;
  ratePerMinute: number | undefined;
};

type Row = {
  id: string;
  name: string;
  created_at: number;
  revoked_at: number | null;
  spend_limit: string | null;
  spent: string;
  rate_per_minute: number | null;
};
const fromRow = (r: Row): ApiKey => ({
  id: r.id,
  name: r.name,
  createdAt: r.created_at,
  revokedAt: r.revoked_at ?? undefined,
  spendLimit: r.spend_limit === null ? undefined : BigInt(r.spend_limit),
  spent: BigInt(r.spent),
  ratePerMinute: r.rate_per_minute ?? undefined,
});

const hashOf = (secret: string) => createHash("sha256").update(secret).digest("hex");

export type CreateApiKeyParameters = {
  name: string;
  spendLimit?: bigint | undefined;
  ratePerMinute?: number | undefined;
};

/** Creates a key; its secret is in the return value and nowhere else. */
export function createApiKey(
  store: Store,
  { name, spendLimit, ratePerMinute }: CreateApiKeyParameters,
): { key: ApiKey; secret: string } {
  const id = randomUUID();
  const secret = `octo-${randomBytes(24).toString("base64url")}`;
  store.db
    .prepare(
      "INSERT INTO api_keys (id, name, hash, created_at, spend_limit, rate_per_minute) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .run(id, name, hashOf(secret), Date.now(), spendLimit?.toString() ?? null, ratePerMinute ?? null);
  return { key: getApiKey(store, id)!, secret };
}

export function getApiKey(store: Store, id: string): ApiKey | undefined {
  const row = store.db.prepare("SELECT * FROM api_keys WHERE id = ?").get(id) as Row | undefined;
  return row && fromRow(row);
}

export function listApiKeys(store: Store): ApiKey[] {
  return (store.db.prepare("SELECT * FROM api_keys ORDER BY created_at").all() as Row[]).map(fromRow);
}

/** Revokes a key by id (or id prefix, as `keys list` prints it); false when none matches or it was revoked already. */
export function revokeApiKey(store: Store, id: string): boolean {
  const matches = store.db.prepare("SELECT id FROM api_keys WHERE id LIKE ? || '%' AND revoked_at IS NULL").all(id) as {
    id: string;
  }[];
  if (matches.length !== 1) return false;
  return (
    store.db.prepare("UPDATE api_keys SET revoked_at = ? WHERE id = ?").run(Date.now(), matches[0]!.id).changes === 1
  );
}

/** The live key a bearer secret names; 401 otherwise. */
export function authenticate(store: Store, authorization: string | undefined): ApiKey {
  const secret = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
  const row = secret
    ? (store.db.prepare("SELECT * FROM api_keys WHERE hash = ? AND revoked_at IS NULL").get(hashOf(secret)) as
        | Row
        | undefined)
    : undefined;
  if (!row) {
    throw new GatewayError(secret ? "invalid API key" : "no API key: send `Authorization: Bearer <key>`", {
      status: 401,
      type: "authentication_error",
      code: "invalid_api_key",
    });
  }
  return fromRow(row);
}

/** Charges `amount` to the key when it stays within its limit; 402 otherwise. */
export function chargeApiKey(store: Store, keyId: string, amount: bigint): void {
  store.transaction(() => {
    const key = getApiKey(store, keyId);
    if (!key) throw new Error(`unknown key ${keyId}`);
    if (key.spendLimit !== undefined && key.spent + amount > key.spendLimit) {
      throw new GatewayError(
        `this key's spending limit is reached: ${key.spent} of ${key.spendLimit} units spent or held for running jobs, this request may cost ${amount}`,
        {
          status: 402,
          type: "insufficient_funds_error",
          code: "spending_limit_exceeded",
        },
      );
    }
    store.db.prepare("UPDATE api_keys SET spent = ? WHERE id = ?").run((key.spent + amount).toString(), keyId);
  });
}

/** Gives back part of a charge (a job that cost less than its escrow, or nothing). */
export function refundApiKey(store: Store, keyId: string, amount: bigint): void {
  store.transaction(() => {
    const key = getApiKey(store, keyId);
    if (key) store.db.prepare("UPDATE api_keys SET spent = ? WHERE id = ?").run((key.spent - amount).toString(), keyId);
  });
}

/** Requests per key over the last minute, in memory. */
export function createRateLimiter(now: () => number = Date.now) {
  const recent = new Map<string, number[]>();
  return (key: ApiKey): void => {
    if (key.ratePerMinute === undefined) return;
    const t = now();
    const times = (recent.get(key.id) ?? []).filter((x) => t - x < 60_000);
    if (times.length >= key.ratePerMinute) {
      recent.set(key.id, times);
      throw new GatewayError(`rate limit reached: ${key.ratePerMinute} requests per minute for this key`, {
        status: 429,
        type: "rate_limit_error",
        code: "rate_limit_exceeded",
      });
    }
    times.push(t);
    recent.set(key.id, times);
  };
}
