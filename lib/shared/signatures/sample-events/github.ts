// GitHub sample events: GitHub sends compact JSON with its delivery headers. Signature headers are added when signing.
import { nodeCrypto } from "../crypto";
import type { SampleBuilder, SampleContext } from "../types";
import { hex, digits, json } from "./random";

function githubHeaders(event: string): [string, string][] {
  return [
    ["User-Agent", `GitHub-Hookshot/${hex(7)}`],
    ["X-GitHub-Delivery", nodeCrypto().randomUUID()],
    ["X-GitHub-Event", event],
    ["X-GitHub-Hook-ID", digits(9)],
    ["X-GitHub-Hook-Installation-Target-ID", digits(9)],
    ["X-GitHub-Hook-Installation-Target-Type", "repository"],
  ];
}

const GH_USER = {
  login: "octocat",
  id: 583231,
  node_id: "MDQ6VXNlcjU4MzIzMQ==",
  type: "User",
  site_admin: false,
  html_url: "https://github.com/octocat",
};

function ghRepo(ctx: SampleContext) {
  return {
    id: 1296269,
    node_id: "MDEwOlJlcG9zaXRvcnkxMjk2MjY5",
    name: "Hello-World",
    full_name: "octocat/Hello-World",
    private: false,
    owner: GH_USER,
    html_url: "https://github.com/octocat/Hello-World",
    description: "My first repository on GitHub!",
    fork: false,
    url: "https://api.github.com/repos/octocat/Hello-World",
    created_at: 1296068472,
    updated_at: ctx.iso,
    pushed_at: ctx.now,
    default_branch: "main",
  };
}

export const githubSamples: Record<string, SampleBuilder> = {
  push: (ctx) => {
    const before = hex(40);
    const after = hex(40);
    const commit = {
      id: after,
      tree_id: hex(40),
      distinct: true,
      message: "Fix the webhook signature check",
      timestamp: ctx.iso,
      url: `https://github.com/octocat/Hello-World/commit/${after}`,
      author: { name: "The Octocat", email: "octocat@github.com", username: "octocat" },
      committer: { name: "GitHub", email: "noreply@github.com", username: "web-flow" },
      added: [],
      removed: [],
      modified: ["src/webhooks.ts"],
    };
    return {
      contentType: "application/json",
      headers: githubHeaders("push"),
      body: json({
        ref: "refs/heads/main",
        before,
        after,
        repository: ghRepo(ctx),
        pusher: { name: "octocat", email: "octocat@github.com" },
        sender: GH_USER,
        created: false,
        deleted: false,
        forced: false,
        base_ref: null,
        compare: `https://github.com/octocat/Hello-World/compare/${before.slice(0, 12)}...${after.slice(0, 12)}`,
        commits: [commit],
        head_commit: commit,
      }),
    };
  },
  ping: (ctx) => ({
    contentType: "application/json",
    headers: githubHeaders("ping"),
    body: json({
      zen: "Keep it logically awesome.",
      hook_id: Number(digits(9)),
      hook: {
        type: "Repository",
        active: true,
        events: ["push", "pull_request"],
        config: { content_type: "json", insecure_ssl: "0", url: "https://example.com/webhook" },
      },
      repository: ghRepo(ctx),
      sender: GH_USER,
    }),
  }),
  pull_request: (ctx) => ({
    contentType: "application/json",
    headers: githubHeaders("pull_request"),
    body: json({
      action: "opened",
      number: 42,
      pull_request: {
        id: Number(digits(10)),
        number: 42,
        state: "open",
        title: "Verify webhook signatures",
        user: GH_USER,
        body: "Checks X-Hub-Signature-256 before handling an event.",
        created_at: ctx.iso,
        updated_at: ctx.iso,
        head: { ref: "verify-signatures", sha: hex(40) },
        base: { ref: "main", sha: hex(40) },
        draft: false,
        html_url: "https://github.com/octocat/Hello-World/pull/42",
      },
      repository: ghRepo(ctx),
      sender: GH_USER,
    }),
  }),
};
