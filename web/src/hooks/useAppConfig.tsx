"use client";
import { createContext, useContext, useMemo, type ReactNode } from "react";
import { marketsOf, type AppConfig, type Market } from "../config/appConfig.ts";

const Context = createContext<{ config: AppConfig; markets: Market[] } | undefined>(undefined);

export function AppConfigProvider({ config, children }: { config: AppConfig; children: ReactNode }) {
  const value = useMemo(() => ({ config, markets: marketsOf(config) }), [config]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useAppConfig() {
  const value = useContext(Context);
  if (!value) throw new Error("useAppConfig outside AppConfigProvider");
  return value;
}
