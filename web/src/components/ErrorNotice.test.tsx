// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider, useMutation } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { retryOf } from "../lib/retryOf.ts";
import { ErrorNotice } from "./ErrorNotice.tsx";

afterEach(cleanup);

describe("ErrorNotice", () => {
  it("puts a wallet rejection in plain words and offers Try again", () => {
    let retried = 0;
    render(<ErrorNotice error={{ code: 4001, message: "User rejected the request." }} onRetry={() => retried++} />);
    const alert = screen.getByRole("alert");
    expect(alert.dataset.errorKind).toBe("rejected");
    expect(alert.textContent).toContain("You declined in your wallet");
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(retried).toBe(1);
  });

  it("offers no retry it cannot make, and shows nothing without an error", () => {
    const { rerender } = render(<ErrorNotice error={new Error("boom")} />);
    expect(screen.getByRole("alert").textContent).toContain("boom");
    expect(screen.queryByRole("button")).toBeNull();
    rerender(<ErrorNotice error={undefined} onRetry={() => undefined} />);
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("Try again repeats the failed action with the same arguments (retryOf over a real mutation)", async () => {
    const calls: bigint[] = [];
    // The first call fails as a wallet's Reject does; the second goes through.
    function Action() {
      const [done, setDone] = useState<bigint>();
      const action = useMutation({
        mutationFn: async (amount: bigint) => {
          calls.push(amount);
          if (calls.length === 1) throw Object.assign(new Error("User rejected the request."), { code: 4001 });
          return amount;
        },
        onSuccess: setDone,
      });
      return (
        <>
          <button type="button" onClick={() => action.mutate(5n)}>
            Send
          </button>
          <ErrorNotice error={action.error} onRetry={retryOf(action)} />
          {done !== undefined && <p>sent {done.toString()}</p>}
        </>
      );
    }
    render(
      <QueryClientProvider client={new QueryClient()}>
        <Action />
      </QueryClientProvider>,
    );
    fireEvent.click(screen.getByRole("button", { name: "Send" }));
    await screen.findByRole("alert");
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    await screen.findByText("sent 5");
    await waitFor(() => expect(screen.queryByRole("alert")).toBeNull());
    expect(calls).toEqual([5n, 5n]);
  });
});
