// `hookscope send <provider> [event] --to <url> [--secret <secret>]`: a realistic sample event,
// signed the way the provider signs it, sent to any URL (typically the local handler under test).
import { parseArgs } from "node:util";
import { TEST_EVENTS, ZTestEventProvider, type TTestEventProvider } from "../shared/validation/signatures";
import { getScheme } from "../shared/signatures/registry";
import { buildSignedTestEvent, UnknownEventError } from "../shared/signatures/samples";
import { SecretFormatError } from "../shared/signatures/types";
import { sendRequest } from "./http";
import type { CliCommand, CliIo } from "./types";

export const SEND_HELP = `Usage: hookscope send <provider> [event] --to <url> [options]

Sends a realistic sample event, signed the way the provider signs it.

Providers and events (the first is the default):
${(Object.keys(TEST_EVENTS) as TTestEventProvider[])
  .map((p) => `  ${p.padEnd(9)} ${TEST_EVENTS[p].join(", ")}\n  ${"".padEnd(9)} ${getScheme(p).testEvents!.note}`)
  .join("\n")}

Options:
  --to <url>         where to send it (required), e.g. http://localhost:3000/webhooks
  --secret <secret>  signing secret; without it a random one is made and printed
  --event <name>     the event, instead of the second argument
  -H, --header "Name: value"   an extra header (repeatable)
  --svix             Standard Webhooks with svix-* headers instead of webhook-*
  --timeout <ms>     give up after this long (default 30000)
  --dry-run          print the signed request instead of sending it
  -v, --verbose      print the request headers and the response
  -h, --help         this help

Example:
  hookscope send stripe payment_intent.succeeded --to http://localhost:4242/webhook --secret whsec_…
`;

function preview(body: Buffer, max = 2000): string {
  const text = body.toString("utf8");
  return text.length > max ? `${text.slice(0, max)}\n… (${body.length} bytes in all)` : text;
}

export const send: CliCommand = {
  name: "send",
  summary: "send a signed sample event (Stripe, GitHub, Shopify, Slack, Standard Webhooks, Twilio)",
  help: SEND_HELP,
  async run(argv: string[], io: CliIo): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          to: { type: "string" },
          secret: { type: "string" },
          event: { type: "string" },
          header: { type: "string", short: "H", multiple: true },
          svix: { type: "boolean" },
          timeout: { type: "string" },
          "dry-run": { type: "boolean" },
          verbose: { type: "boolean", short: "v" },
          help: { type: "boolean", short: "h" },
        },
      });
    } catch (e) {
      io.err(`${(e as Error).message}\n\n${SEND_HELP}`);
      return 2;
    }
    const { values: o, positionals } = parsed;
    if (o.help) {
      io.out(SEND_HELP);
      return 0;
    }
    const provider = ZTestEventProvider.safeParse(positionals[0]);
    if (!provider.success) {
      io.err(
        `${positionals[0] ? `Unknown provider "${positionals[0]}".` : "Which provider?"} One of: ${Object.keys(TEST_EVENTS).join(", ")}\n\n${SEND_HELP}`,
      );
      return 2;
    }
    if (!o.to) {
      io.err("--to <url> is required: where should the event go?");
      return 2;
    }
    const timeoutMs = o.timeout === undefined ? 30_000 : Number(o.timeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
      io.err("--timeout is a whole number of milliseconds");
      return 2;
    }
    const extra: [string, string][] = [];
    for (const h of o.header ?? []) {
      const colon = h.indexOf(":");
      if (colon <= 0) {
        io.err(`--header "${h}" should look like "Name: value"`);
        return 2;
      }
      extra.push([h.slice(0, colon).trim(), h.slice(colon + 1).trim()]);
    }
    let url: URL;
    try {
      url = new URL(o.to);
    } catch {
      io.err(`--to: not a URL: ${o.to}`);
      return 2;
    }
    const secret = o.secret ?? getScheme(provider.data).testEvents!.randomSecret();
    if (!o.secret) io.err(`No --secret given; signing with a random one: ${secret}`);

    let ev;
    try {
      ev = buildSignedTestEvent(provider.data, {
        event: o.event ?? positionals[1],
        secret,
        url: url.toString(),
        headerPrefix: o.svix ? "svix" : "webhook",
      });
    } catch (e) {
      if (e instanceof UnknownEventError || e instanceof SecretFormatError) {
        io.err(e.message);
        return 2;
      }
      throw e;
    }
    const headers = [...ev.headers, ...extra];
    io.out(`→ ${ev.method} ${ev.url}  ${provider.data} ${ev.event} (${Buffer.byteLength(ev.body)} bytes)`);
    if (o.verbose || o["dry-run"]) for (const [n, v] of headers) io.out(`  ${n}: ${v}`);
    if (o["dry-run"]) {
      io.out(`\n${ev.body}`);
      return 0;
    }
    try {
      const res = await sendRequest({ method: ev.method, url: ev.url, headers, body: ev.body, timeoutMs });
      io.out(`← ${res.status} ${res.statusText}  in ${Math.round(res.durationMs)} ms`);
      if (o.verbose) {
        for (const [n, v] of res.headers) io.out(`  ${n}: ${v}`);
        if (res.body.length) io.out(`\n${preview(res.body)}`);
      }
      return res.status >= 200 && res.status < 300 ? 0 : 1;
    } catch (e) {
      io.err(`✗ ${(e as Error).message}`);
      return 1;
    }
  },
};
