/**
 * Health of the worker's parts, for /health. Each part registers a check; the report is 'ok' (HTTP 200), 'degraded'
 * (200: serving, with a warning such as a lagging watcher) or 'down' (503: a stalled watcher, a dead engine).
 *
 * API: createHealth(): Health — { register(name, check), reportError(name, error), report(): HealthReport }
 *   watcherCheck(watcher) — maps WatcherHealth: stalled → down, lagging/starting → degraded
 *   senderCheck(sender) — maps SenderHealth: stuck → down, a nonce gap not yet filled → degraded
 */
import type { SenderHealth } from "../sender/createSender.ts";
import type { WatcherHealth } from "../watch/createWatcher.ts";

export type ComponentStatus = "ok" | "degraded" | "down";
export type ComponentHealth = { status: ComponentStatus; detail?: unknown };
export type HealthCheck = () => ComponentHealth;
export type HealthReport = {
  status: ComponentStatus;
  components: Record<string, ComponentHealth>;
  lastError: { component: string; message: string; at: string } | null;
};
export type Health = ReturnType<typeof createHealth>;

export function createHealth() {
  const checks = new Map<string, HealthCheck>();
  let lastError: HealthReport["lastError"] = null;
  return {
    register(name: string, check: HealthCheck): void {
      checks.set(name, check);
    },
    reportError(component: string, error: unknown): void {
      const message = (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
      lastError = { component, message, at: new Date().toISOString() };
    },
    report(): HealthReport {
      const components: Record<string, ComponentHealth> = {};
      for (const [name, check] of checks) {
        try {
          components[name] = check();
        } catch (error) {
          components[name] = { status: "down", detail: `health check threw: ${String(error)}` };
        }
      }
      const statuses = Object.values(components).map((c) => c.status);
      const status: ComponentStatus = statuses.includes("down")
        ? "down"
        : statuses.includes("degraded")
          ? "degraded"
          : "ok";
      return { status, components, lastError };
    },
  };
}

export function watcherCheck(watcher: { health(): WatcherHealth }): HealthCheck {
  return () => {
    const h = watcher.health();
    const status: ComponentStatus = h.status === "stalled" ? "down" : h.status === "ok" ? "ok" : "degraded";
    return { status, detail: h };
  };
}

export function senderCheck(sender: { health(): SenderHealth }): HealthCheck {
  return () => {
    const h = sender.health();
    const status: ComponentStatus = h.stuck ? "down" : h.gaps.length > 0 ? "degraded" : "ok";
    return { status, detail: h };
  };
}
