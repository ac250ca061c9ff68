// @vitest-environment happy-dom
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { progressOf } from "../lib/stepper.ts";
import { JobStepper } from "./JobStepper.tsx";

afterEach(cleanup);

/** Each step's name and its class: done, current, stopped or "" (not reached). */
const steps = () => screen.getAllByRole("listitem").map((li) => [li.textContent, li.className]);

describe("JobStepper", () => {
  it("marks the steps passed and the one a job is at", () => {
    render(<JobStepper progress={progressOf({ status: "Claimed", pieces: 3, streamEnded: false })} />);
    expect(steps()).toEqual([
      ["created", "done"],
      ["claimed", "done"],
      ["generating", "current"],
      ["proving", ""],
      ["submitted", ""],
      ["final", ""],
    ]);
    expect(screen.queryByText(/This job ended/)).toBeNull();
  });

  it("shows where a job stopped and why", () => {
    render(<JobStepper progress={progressOf({ status: "TimedOut", pieces: 0, streamEnded: false })} />);
    expect(screen.getByTestId("stepper").dataset.step).toBe("claimed");
    expect(steps().slice(0, 3)).toEqual([
      ["created", "done"],
      ["claimed", "stopped"],
      ["generating", ""],
    ]);
    screen.getByText("This job ended: the provider missed its deadline.");
  });

  it("a finalized job has every step behind it", () => {
    render(<JobStepper progress={progressOf({ status: "Finalized", pieces: 0, streamEnded: false })} />);
    expect(steps().map(([, c]) => c)).toEqual(["done", "done", "done", "done", "done", "current"]);
  });
});
