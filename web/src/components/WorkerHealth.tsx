"use client";
// The worker's health on the dashboard: the operator gives its ops URL (the worker's `ops` host and port) once.
import { useState } from "react";
import { useWorkerHealth, useWorkerOpsUrl } from "../hooks/useWorkerHealth.ts";

export function WorkerHealth() {
  const [url, setUrl] = useWorkerOpsUrl();
  const [draft, setDraft] = useState(url);
  const health = useWorkerHealth(url);
  const report = health.data;
  return (
    <div data-testid="worker-health">
      <h2>Worker</h2>
      <div className="row">
        <label>
          Ops URL of your worker (it serves /health and /metrics)
          <input
            className="wide"
            placeholder="http://127.0.0.1:9464"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            data-testid="worker-url"
          />
        </label>
        <button type="button" onClick={() => setUrl(draft.trim())} data-testid="worker-url-set">
          Show health
        </button>
      </div>
      {health.error && (
        <p className="notice error" data-testid="worker-unreachable">
          {health.error.message}
        </p>
      )}
      {report && (
        <>
          <p className={report.status === "ok" ? "notice" : "notice warn"} data-testid="worker-status">
            Worker {report.status === "ok" ? "healthy" : report.status}
          </p>
          <table>
            <tbody>
              {Object.entries(report.components).map(([name, c]) => (
                <tr key={name}>
                  <td>{name}</td>
                  <td className={c.status === "ok" ? "ok" : "bad"}>{c.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.lastError && (
            <p className="hint">
              Last error ({report.lastError.component}, {report.lastError.at}): {report.lastError.message}
            </p>
          )}
        </>
      )}
    </div>
  );
}
