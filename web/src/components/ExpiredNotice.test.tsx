// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { JobAction } from "../hooks/useJobActions.ts";
import { ExpiredNotice } from "./ExpiredNotice.tsx";

afterEach(cleanup);

const deadline = 1_700_000_000; // 2023-11-14 22:13 UTC

describe("ExpiredNotice", () => {
  it("an open job past its deadline offers to cancel it", () => {
    const ran: JobAction[] = [];
    render(<ExpiredNotice action="cancel" deadline={deadline} canAct pending={false} run={(a) => ran.push(a)} />);
    expect(screen.getByTestId("expired").textContent).toContain("No provider took this job before its deadline");
    expect(screen.getByTestId("expired").textContent).toContain("2023-11-14 22:13 UTC");
    fireEvent.click(screen.getByRole("button", { name: "Cancel and refund" }));
    expect(ran).toEqual(["cancel"]);
  });

  it("a claimed job past its deadline offers to reclaim, not while a call is pending", () => {
    const ran: JobAction[] = [];
    const { rerender } = render(
      <ExpiredNotice action="reclaim" deadline={deadline} canAct pending={false} run={(a) => ran.push(a)} />,
    );
    expect(screen.getByTestId("expired").textContent).toContain("did not post a result before the deadline");
    fireEvent.click(screen.getByRole("button", { name: "Reclaim the escrow" }));
    expect(ran).toEqual(["reclaim"]);
    rerender(<ExpiredNotice action="reclaim" deadline={deadline} canAct pending run={(a) => ran.push(a)} />);
    expect((screen.getByRole("button", { name: "Reclaim the escrow" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("without a wallet it says what is needed instead of a button", () => {
    render(<ExpiredNotice action="reclaim" deadline={deadline} canAct={false} pending={false} run={() => undefined} />);
    expect(screen.queryByRole("button")).toBeNull();
    screen.getByText(/Connect a wallet/);
  });
});
