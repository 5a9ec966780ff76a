"use client";

import { QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { z } from "zod";
import { Toaster } from "@/components/ui/toaster";
import { getQueryClient } from "@/lib/browser/query/query-client";

// In the browser zod would probe `new Function` to compile faster parsers; the page's CSP allows
// no eval, and the refused probe shows up as a CSP violation. Parsing works the same without it.
if (typeof window !== "undefined") z.config({ jitless: true });

export function Providers({ children }: { children: ReactNode }) {
  return (
    <QueryClientProvider client={getQueryClient()}>
      {children}
      <Toaster />
    </QueryClientProvider>
  );
}
