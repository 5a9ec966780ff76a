// GitHub: `X-Hub-Signature-256: sha256=<hex>` (HMAC-SHA256 of the body); the legacy
// `X-Hub-Signature: sha1=<hex>` is read when the SHA-256 header is absent.
import { hmac, nodeCrypto } from "../crypto";
import { findHeader } from "../headers";
import { githubSamples } from "../sample-events/github";
import { defineScheme } from "../types";

export const GITHUB_HEADER = "X-Hub-Signature-256";
export const GITHUB_LEGACY_HEADER = "X-Hub-Signature";

export const github = defineScheme({
  id: "github",
  label: "GitHub",
  secretPlaceholder: "The secret typed into the webhook's settings",
  timestamped: false,
  detect: [GITHUB_HEADER, GITHUB_LEGACY_HEADER],
  headers: () => [GITHUB_HEADER, GITHUB_LEGACY_HEADER],
  secretHeaders: [GITHUB_HEADER, GITHUB_LEGACY_HEADER],
  // GitHub sends both: the legacy SHA-1 header for old verifiers, and SHA-256.
  sign: ({ secret, body }) => ({
    headers: [
      [GITHUB_LEGACY_HEADER, `sha1=${hmac("sha1", secret, body).toString("hex")}`],
      [GITHUB_HEADER, `sha256=${hmac("sha256", secret, body).toString("hex")}`],
    ],
  }),
  testEvents: {
    events: githubSamples,
    note: "X-Hub-Signature-256 and X-Hub-Signature, the webhook's secret",
    randomSecret: () => nodeCrypto().randomBytes(16).toString("hex"),
  },
  key: (secret) => Buffer.from(secret, "utf8"),
  inspect(req) {
    const h256 = findHeader(req.headers, GITHUB_HEADER);
    const h = h256 ?? findHeader(req.headers, GITHUB_LEGACY_HEADER);
    if (!h)
      return {
        kind: "missing",
        header: GITHUB_HEADER,
        reason: "The request has no X-Hub-Signature-256 (or legacy X-Hub-Signature) header.",
      };
    const algorithm = h256 ? "sha256" : "sha1";
    const prefix = `${algorithm}=`;
    const value = h.value.trim();
    if (!value.startsWith(prefix)) {
      return { kind: "malformed", header: h.name, received: h.value, reason: `${h.name} should look like ${prefix}<hex>.` };
    }
    return {
      kind: "ready",
      check: {
        header: h.name,
        received: h.value,
        signatures: [value.slice(prefix.length)],
        encoding: "hex",
        format: (sig) => `${prefix}${sig}`,
        mac: (body, key) => [{ mac: hmac(algorithm, key, body) }],
        timestamp: null,
        toleranceSeconds: null,
        bothDirections: false,
        secretAdvice:
          "The secret is the one typed into the webhook's settings on GitHub (repository or organization → Settings → Webhooks), or the GitHub App's webhook secret.",
      },
    };
  },
});
