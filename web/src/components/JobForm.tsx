"use client";
// The user's job page: a model, how to route, the providers that qualify, the prompt (or chat), the most it can
// cost, and Pay. Every figure comes from the sdk; this only lays it out.
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { isAddress, type Address } from "viem";
import type { ChatMessage } from "@octo/sdk";
import { useCreateJob } from "../hooks/useCreateJob.ts";
import {
  useMarketParameters,
  useModels,
  useOffers,
  usePaymentToken,
  usePermitSupport,
  useQuote,
  useTokenHoldings,
} from "../hooks/useMarketData.ts";
import { useMarketBalance } from "../hooks/useMarketBalance.ts";
import { useOcto } from "../hooks/useOcto.ts";
import { checkCost, paymentChoices, paymentFor, type Payment } from "../lib/cost.ts";
import { formatAmount, formatPricePer1k, shortAddress, tierName, TIER_NAMES } from "../lib/format.ts";
import { disqualification, ROUTING_LABELS, type Routing } from "../lib/routing.ts";
import { jobInputFor, modelFormat, TASK_TEMPLATES } from "../lib/templates.ts";
import { ChatEditor } from "./ChatEditor.tsx";
import { ErrorNotice } from "./ErrorNotice.tsx";
import { MarketBalance } from "./MarketBalance.tsx";
import { MaxCost } from "./MaxCost.tsx";
import { OffersTable } from "./OffersTable.tsx";
import { WalletNotice } from "./WalletNotice.tsx";

const PAYMENT_LABELS: Record<Payment, string> = {
  balance: "Your balance in the market (one transaction, no approval)",
  approve: "Approve, then pay (two transactions when the allowance is short)",
  permit: "Permit signature, then pay (one transaction)",
};

export function JobForm() {
  const router = useRouter();
  const { market, wallet } = useOcto();
  const models = useModels();
  const token = usePaymentToken();
  const parameters = useMarketParameters();
  const [modelId, setModelId] = useState<`0x${string}` | undefined>();
  const model = models.data?.find((m) => m.modelId === modelId) ?? models.data?.[0];
  useEffect(() => setModelId((id) => id ?? models.data?.[0]?.modelId), [models.data]);
  const offers = useOffers(model?.modelId, token.data?.address);
  const [routing, setRouting] = useState<Routing>({ kind: "cheapest", minTier: 0 });
  const [text, setText] = useState("");
  const [messages, setMessages] = useState<ChatMessage[]>([{ role: "user", content: "" }]);
  const [maxOutputTokens, setMaxOutputTokens] = useState(16);
  // Unset until the person picks one: then the default follows the balance in the market (defaultPayment).
  const [chosenPayment, setPayment] = useState<Payment | undefined>();
  const create = useCreateJob();

  const format = model ? modelFormat(model.name) : { kind: "chat" as const };
  const collateral = parameters.data?.collateral ?? 0n;
  const qualifying = useMemo(
    () => (offers.data ?? []).filter((o) => disqualification(o, routing, collateral) === undefined),
    [offers.data, routing, collateral],
  );
  // The price cap: the dearest qualifying offer, so whichever selectProvider picks fits; the job escrows at the
  // chosen provider's own price, never more.
  const priceCap = qualifying.reduce<bigint | undefined>(
    (max, o) => (max === undefined || o.pricePerToken > max ? o.pricePerToken : max),
    undefined,
  );
  const quote = useQuote(maxOutputTokens, priceCap);
  const holdings = useTokenHoldings(
    token.data?.address,
    wallet.kind === "ready" ? wallet.address : undefined,
    market.deployments.contracts.JobMarket.address,
  );
  const marketBalance = useMarketBalance(token.data?.address);
  const permit = usePermitSupport(token.data?.address).data === true;
  const payment = paymentFor({
    chosen: chosenPayment,
    marketBalance: marketBalance.data,
    maxCost: quote.data?.maxCost,
    permit,
  });
  const maxContext = qualifying.reduce((min, o) => Math.min(min, o.maxContext), Number.MAX_SAFE_INTEGER);
  const cost =
    quote.data && holdings.data && marketBalance.data !== undefined
      ? checkCost({
          maxCost: quote.data.maxCost,
          balance: holdings.data.balance,
          allowance: holdings.data.allowance,
          marketBalance: marketBalance.data,
          payment,
          maxOutputTokens,
          maxContext,
        })
      : undefined;
  const written =
    format.kind === "question"
      ? text.trim() !== ""
      : messages.some((m) => m.content.trim() !== "") || text.trim() !== "";

  const reload = () => {
    void models.refetch();
    void offers.refetch();
    void token.refetch();
  };

  const pay = () => {
    if (!model || !token.data || priceCap === undefined) return;
    const input = jobInputFor(format, {
      text,
      messages: format.kind === "chat" && messages.some((m) => m.content.trim()) ? messages : undefined,
    });
    create.mutate(
      {
        input,
        modelId: model.modelId,
        paymentToken: token.data.address,
        routing,
        maxOutputTokens,
        maxPricePerToken: priceCap,
        minFreeStake: collateral,
        payment,
      },
      { onSuccess: ({ jobId }) => router.push(`/jobs/${jobId}`) },
    );
  };

  return (
    <section className="card">
      <h1>Ask a model</h1>
      <ErrorNotice error={models.error ?? offers.error ?? token.error} onRetry={reload} />
      <div className="grid">
        <label>
          Model
          <select
            value={model?.modelId ?? ""}
            onChange={(e) => setModelId(e.target.value as `0x${string}`)}
            data-testid="model"
          >
            {(models.data ?? []).map((m) => (
              <option key={m.modelId} value={m.modelId}>
                {m.name} ({m.quantization}, {m.engine})
              </option>
            ))}
          </select>
        </label>
        <label>
          Routing
          <select
            value={routing.kind}
            onChange={(e) =>
              setRouting((r) =>
                e.target.value === "provider"
                  ? { kind: "provider", provider: (qualifying[0]?.provider ?? "0x") as Address, minTier: r.minTier }
                  : { kind: e.target.value as "cheapest", minTier: r.minTier },
              )
            }
          >
            {Object.entries(ROUTING_LABELS).map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Minimum tier
          <select
            value={routing.minTier}
            onChange={(e) => setRouting((r) => ({ ...r, minTier: Number(e.target.value) }))}
          >
            {TIER_NAMES.map((name, tier) => (
              <option key={tier} value={tier}>
                {name}
              </option>
            ))}
          </select>
        </label>
        {routing.kind === "provider" && (
          <label>
            Provider
            <select
              value={routing.provider}
              onChange={(e) => isAddress(e.target.value) && setRouting({ ...routing, provider: e.target.value })}
            >
              {(offers.data ?? []).map((o) => (
                <option key={o.provider} value={o.provider}>
                  {shortAddress(o.provider)} · {tierName(o.tier)}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>

      <OffersTable
        offers={offers.data}
        routing={routing}
        collateral={collateral}
        token={token.data}
        loading={models.isLoading || offers.isLoading}
      />

      <h2>Your request</h2>
      {format.kind === "question" ? (
        <label>
          Question{" "}
          <span className="hint">
            {model?.name} answers one short question, in the format it was trained on: “Q: … A:”. Try “{format.example}
            ”.
          </span>
          <input
            className="wide"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={format.example}
            data-testid="question"
          />
          {text.trim() && <code className="preview">{JSON.stringify(format.render(text.trim()))}</code>}
        </label>
      ) : (
        <>
          <div className="templates">
            Start from:{" "}
            {TASK_TEMPLATES.map((t) => (
              <button
                key={t.id}
                type="button"
                className="chip"
                onClick={() =>
                  setMessages([
                    { role: "user", content: t.write(messages.at(-1)?.content || "(paste the message here)") },
                  ])
                }
              >
                {t.label}
              </button>
            ))}
          </div>
          <ChatEditor messages={messages} onChange={setMessages} />
        </>
      )}

      <div className="grid">
        <label>
          Max output tokens
          <input
            type="number"
            min={1}
            value={maxOutputTokens}
            onChange={(e) => setMaxOutputTokens(Math.max(1, Math.floor(Number(e.target.value) || 1)))}
            data-testid="max-tokens"
          />
        </label>
        <label>
          Pay by
          <select value={payment} onChange={(e) => setPayment(e.target.value as Payment)} data-testid="payment">
            {paymentChoices({ permit }).map((p) => (
              <option key={p} value={p}>
                {PAYMENT_LABELS[p]}
              </option>
            ))}
          </select>
        </label>
      </div>

      <MaxCost
        quote={quote.data}
        token={token.data}
        maxOutputTokens={maxOutputTokens}
        priceCap={priceCap}
        offersLoaded={offers.data !== undefined}
      />
      {cost && !cost.ok && cost.reason === "balance" && token.data && (
        <div className="notice error" role="alert" data-error-kind="balance">
          <strong>Not enough {token.data.symbol}</strong>
          <p>You need {formatAmount(cost.missing, token.data)} more to cover the most this job can cost.</p>
        </div>
      )}
      {cost && !cost.ok && cost.reason === "marketBalance" && token.data && (
        <div className="notice error" role="alert" data-error-kind="market-balance">
          <strong>Not enough {token.data.symbol} in the market</strong>
          <p>
            Deposit {formatAmount(cost.missing, token.data)} more to pay from your balance, or pay from your wallet.
          </p>
        </div>
      )}
      {cost && !cost.ok && cost.reason === "maxTokens" && (
        <div className="notice error" role="alert">
          <strong>Too many tokens</strong>
          <p>The qualifying providers serve at most {cost.limit} output tokens for this model.</p>
        </div>
      )}
      {cost?.ok && cost.needsApproval && (
        <p className="hint">Your wallet will first ask to approve the market to spend this amount, then to pay.</p>
      )}

      <MarketBalance token={token.data} />

      <details className="privacy">
        <summary>Who sees what</summary>
        <ul>
          <li>
            The chain: that you created a job, the model, the provider, the price, the token count and the timing; your
            prompt and the answer only as ciphertext.
          </li>
          <li>The provider you route to: your prompt and the answer (it runs the model).</li>
          <li>A dispute committee, only if you dispute: the job's secret, to re-run it. Nobody else.</li>
        </ul>
      </details>

      <WalletNotice purpose="pay for a job" />
      <ErrorNotice error={create.error} onRetry={pay} />
      <button
        type="button"
        className="primary"
        onClick={pay}
        disabled={
          wallet.kind !== "ready" ||
          !written ||
          priceCap === undefined ||
          create.isPending ||
          (cost !== undefined && !cost.ok)
        }
        data-testid="pay"
      >
        {create.isPending ? "Waiting for your wallet…" : "Pay and send"}
      </button>
    </section>
  );
}
