"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createContext, useContext, useState, type ReactNode } from "react";
import type { Permission } from "@/lib/auth/permissions";
import type { Formats } from "./format";
import type { ViewDefaults } from "./view";

const FormatsContext = createContext<Formats>({ locale: "en-US", currency: "EUR" });
const DefaultsContext = createContext<ViewDefaults | null>(null);
const PermissionsContext = createContext<readonly Permission[]>([]);

/** Whether the signed-in member's role may do a thing: links to screens it cannot open are not shown (the server still checks). */
export function useCan(): (permission: Permission) => boolean {
  const permissions = useContext(PermissionsContext);
  return (permission) => permissions.includes(permission);
}

export function useFormats(): Formats {
  return useContext(FormatsContext);
}

/** The defaults that fill what the URL leaves out; the server computed them from the workspace's data. */
export function useViewDefaults(): ViewDefaults {
  const defaults = useContext(DefaultsContext);
  if (!defaults) throw new Error("useViewDefaults outside DashboardProviders");
  return defaults;
}

export function DashboardProviders({
  formats,
  defaults,
  permissions,
  children,
}: {
  formats: Formats;
  defaults: ViewDefaults;
  permissions: readonly Permission[];
  children: ReactNode;
}) {
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { staleTime: 5 * 60_000, retry: 1, refetchOnWindowFocus: false },
        },
      }),
  );
  return (
    <QueryClientProvider client={client}>
      <FormatsContext.Provider value={formats}>
        <DefaultsContext.Provider value={defaults}>
          <PermissionsContext.Provider value={permissions}>{children}</PermissionsContext.Provider>
        </DefaultsContext.Provider>
      </FormatsContext.Provider>
    </QueryClientProvider>
  );
}
