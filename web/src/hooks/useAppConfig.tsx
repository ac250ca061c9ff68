"use client";
// The app config and its markets, as the server read and parsed them (the browser gets the parsed markets, so that
// the deployments schema and zod stay on the server).
import { createContext, useContext, useMemo, type ReactNode } from "react";
import type { AppConfig, Market } from "../config/appConfig.ts";

const Context = createContext<{ config: AppConfig; markets: Market[] } | undefined>(undefined);

export type AppConfigProviderProps = { config: AppConfig; markets: Market[]; children: ReactNode };

export function AppConfigProvider({ config, markets, children }: AppConfigProviderProps) {
  const value = useMemo(() => ({ config, markets }), [config, markets]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useAppConfig() {
  const value = useContext(Context);
  if (!value) throw new Error("useAppConfig outside AppConfigProvider");
  return value;
}
