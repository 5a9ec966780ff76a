// Browser-side fetch for the signature routes: answers re-parsed with the server's zod schemas,
// failures as SignatureApiError carrying the API's code and message. Same-origin requests carry
// the endpoint's key cookie, so no key is handled here.
import type { z } from "zod";

export class SignatureApiError extends Error {
  override name = "SignatureApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function signatureApi<T extends z.ZodType>(
  path: string,
  schema: T | null,
  init: RequestInit & { json?: unknown } = {},
): Promise<z.output<T>> {
  const { json, ...rest } = init;
  let res: Response;
  try {
    res = await fetch(path, {
      ...rest,
      cache: "no-store",
      headers: { Accept: "application/json", ...(json === undefined ? {} : { "Content-Type": "application/json" }), ...rest.headers },
      body: json === undefined ? rest.body : JSON.stringify(json),
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new SignatureApiError(0, "NETWORK", "Can't reach the Hookscope server.");
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new SignatureApiError(
      res.status,
      body?.error?.code ?? `HTTP_${res.status}`,
      body?.error?.message ?? `The server answered ${res.status}.`,
    );
  }
  if (!schema || res.status === 204) return undefined as z.output<T>;
  return schema.parse(await res.json());
}

export function endpointPath(endpointId: string, rest = ""): string {
  return `/api/endpoints/${encodeURIComponent(endpointId)}${rest}`;
}
