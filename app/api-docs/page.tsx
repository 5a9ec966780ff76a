import type { Metadata } from "next";
import { ApiDocsView } from "@/components/api-docs/api-docs-view";
import { AppHeader } from "@/components/ui/app-header";
import { publicBaseUrl } from "@/lib/server/env";
import { buildOpenApiDocument } from "@/lib/shared/openapi/document";

export const metadata: Metadata = { title: "API · Hookscope" };
// The base URL comes from the environment at run time, not at build time.
export const dynamic = "force-dynamic";

export default function ApiDocsPage() {
  return (
    <div className="min-h-dvh">
      <AppHeader>
        <span aria-hidden="true" className="text-zinc-300 dark:text-zinc-700">
          /
        </span>
        <span className="font-medium">API</span>
      </AppHeader>
      <ApiDocsView doc={buildOpenApiDocument(publicBaseUrl())} />
    </div>
  );
}
