"use client";
import { plainError } from "../lib/plainError.ts";

/** An error in plain words, with what to do; `onRetry` offers the retry the message promises. */
export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: (() => void) | undefined }) {
  if (!error) return null;
  const { kind, title, message } = plainError(error);
  return (
    <div className="notice error" role="alert" data-error-kind={kind}>
      <strong>{title}</strong>
      <p>{message}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
