import { describe, expect, it } from "vitest";
import { decodeJobInput, encodeJobInput, renderJobInput } from "@octo/sdk";
import { renderOctoTinyPrompt } from "@octo/worker/models";
import { jobInputFor, modelFormat, TASK_TEMPLATES } from "./templates.ts";

describe("templates", () => {
  it("writes octo-tiny's prompt exactly as the worker's model package renders it", () => {
    const format = modelFormat("octo-tiny");
    expect(format.kind).toBe("question");
    const input = jobInputFor(format, { text: " 17 + 25 " });
    expect(input).toEqual({ prompt: renderOctoTinyPrompt("17 + 25") });
    expect(renderJobInput(decodeJobInput(encodeJobInput(input)))).toBe(renderOctoTinyPrompt("17 + 25"));
  });

  it("sends other models the chat as messages", () => {
    const format = modelFormat("llama-3.1-8b-instruct");
    expect(jobInputFor(format, { text: "hi" })).toEqual({ messages: [{ role: "user", content: "hi" }] });
    const messages = [
      { role: "system" as const, content: "Be brief." },
      { role: "user" as const, content: "hi" },
    ];
    expect(jobInputFor(format, { text: "", messages })).toEqual({ messages });
  });

  it("offers the five messaging tasks, each wrapping the pasted text", () => {
    expect(TASK_TEMPLATES.map((t) => t.id)).toEqual(["summarise", "translate", "reply", "spam", "sentiment"]);
    for (const t of TASK_TEMPLATES) expect(t.write("MESSAGE")).toContain("MESSAGE");
  });
});
