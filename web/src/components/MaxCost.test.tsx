// @vitest-environment happy-dom
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { MaxCost } from "./MaxCost.tsx";

afterEach(cleanup);

const usdc = { symbol: "USDC", decimals: 6 };

describe("MaxCost", () => {
  it("says the most the job can cost, the price cap per 1k tokens and the fee inside it", () => {
    // 16 tokens at up to 2,500 base units (0.0025 USDC) each: at most 0.04 USDC.
    render(
      <MaxCost
        quote={{ maxCost: 40_000n, maxFee: 1_000n, feeBps: 250 }}
        token={usdc}
        maxOutputTokens={16}
        priceCap={2_500n}
        offersLoaded
      />,
    );
    expect(screen.getByTestId("max-cost").textContent).toBe(
      "At most 0.04 USDC (16 tokens × up to 2.5 USDC / 1k tokens; the protocol's 2.5 % fee is inside it). What the provider does not generate is refunded.",
    );
  });

  it("says so when no provider qualifies, and waits while the offers load", () => {
    const { rerender } = render(
      <MaxCost quote={undefined} token={usdc} maxOutputTokens={16} priceCap={undefined} offersLoaded />,
    );
    expect(screen.getByTestId("max-cost").textContent).toBe("No provider qualifies under this routing.");
    rerender(<MaxCost quote={undefined} token={usdc} maxOutputTokens={16} priceCap={undefined} offersLoaded={false} />);
    expect(screen.getByTestId("max-cost").textContent).toBe("Working out the most it can cost…");
  });
});
