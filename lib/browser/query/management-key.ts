// The management key is shown once, when the endpoint is created. The tab that created it (or that
// opened a dashboard link carrying it) keeps it in sessionStorage so it can build a full-access
// dashboard link; every other tab only holds the httpOnly cookie, which scripts cannot read.
const PREFIX = "hookscope:key:";

export function rememberManagementKey(endpointId: string, key: string): void {
  try {
    sessionStorage.setItem(PREFIX + endpointId, key);
  } catch {
    // storage disabled (private mode, quota): the link just won't be offered
  }
}

export function recallManagementKey(endpointId: string): string | null {
  try {
    return sessionStorage.getItem(PREFIX + endpointId);
  } catch {
    return null;
  }
}

export function forgetManagementKey(endpointId: string): void {
  try {
    sessionStorage.removeItem(PREFIX + endpointId);
  } catch {
    // nothing to forget
  }
}

/** `#key=…` as a dashboard link carries it, or null. */
export function keyFromFragment(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const key = params.get("key");
  return key && /^[\w.~-]{8,256}$/.test(key) ? key : null;
}

/** A link that gives whoever opens it full access to the endpoint (the key never reaches the server in the URL). */
export function dashboardLink(dashboardUrl: string, key: string): string {
  return `${dashboardUrl}#key=${encodeURIComponent(key)}`;
}
