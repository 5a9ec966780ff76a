import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { BODY_PREVIEW_BYTES, bodyPreviewBytes, makeBodyPreview } from "./body-preview";
import {
  bodyNeedsFile,
  INLINE_BODY_MAX,
  httpieHeaderItem,
  jsString,
  shellQuote,
  shellQuoteBytes,
  toCurl,
  toFetch,
  toHttpie,
  type TRequestSpec,
} from "./request-code";

const HOSTILE = [
  "'; touch /tmp/pwned-by-curl #",
  "$(touch /tmp/pwned-by-curl)",
  "`touch /tmp/pwned-by-curl`",
  'a"b\\c\\\\',
  "line1\nline2\r\n",
  "tab\there",
  "\u202Eevil\u2066 bidi\u200B",
  "emoji 😀 and café",
  "!history $HOME ${HOME} \\x41",
];

function run(file: string, args: string[], opts: { cwd?: string } = {}): Promise<{ stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) =>
    execFile(file, args, { encoding: "buffer", cwd: opts.cwd, timeout: 20_000 }, (err, stdout, stderr) =>
      err ? reject(Object.assign(err, { stderr: stderr.toString() })) : resolve({ stdout, stderr: stderr.toString() }),
    ),
  );
}

/** What bash makes of a shell word: printf prints the argument's bytes exactly. */
async function bashWord(word: string): Promise<Buffer> {
  return (await run("bash", ["-c", `printf '%s' ${word}`])).stdout;
}

describe("shell quoting", () => {
  for (const s of HOSTILE) {
    test(`round-trips through bash: ${JSON.stringify(s)}`, async () => {
      const word = shellQuote(s);
      assert.deepEqual(await bashWord(word), Buffer.from(s, "utf8"));
      // Nothing outside printable ASCII reaches the terminal.
      assert.match(word, /^[\x20-\x7e]*$/);
    });
  }
  test("every byte but NUL round-trips", async () => {
    const bytes = Uint8Array.from({ length: 255 }, (_, i) => i + 1);
    assert.deepEqual(await bashWord(shellQuoteBytes(bytes)), Buffer.from(bytes));
  });
  test("plain ASCII stays readable", () => {
    assert.equal(shellQuote("https://x/h/abc?a=1&b=2"), "'https://x/h/abc?a=1&b=2'");
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
  });
  test("NUL or a large body goes through a file", () => {
    assert.equal(bodyNeedsFile(Uint8Array.of(1, 0, 2)), true);
    assert.equal(bodyNeedsFile(new Uint8Array(70 * 1024).fill(65)), true);
    assert.equal(bodyNeedsFile(new TextEncoder().encode("{}")), false);
  });
});

describe("jsString", () => {
  for (const s of [...HOSTILE, "\u0000\u0001\u00ff\u2028\u2029</script>"]) {
    test(`is the same string: ${JSON.stringify(s)}`, () => {
      const lit = jsString(s);
      assert.equal(new Function(`return ${lit};`)(), s);
      assert.match(lit, /^[\x20-\x7e]*$/);
    });
  }
});

// A real server that records exactly what arrives, to prove the generated commands repeat the request.
interface TSeen {
  method: string;
  url: string;
  rawHeaders: [string, string][];
  body: Buffer;
}
let server: http.Server;
let base = "";
const seen: TSeen[] = [];
before(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw: [string, string][] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) raw.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
      seen.push({ method: req.method!, url: req.url!, rawHeaders: raw, body: Buffer.concat(chunks) });
      res.end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
after(() => server.close());

function spec(over: Partial<TRequestSpec>): TRequestSpec {
  return {
    method: "POST",
    url: `${base}/h/slug/a/../b?x=1&y=[2]`,
    headers: [],
    body: new Uint8Array(0),
    httpVersion: "1.1",
    bodyFileName: "slug-1.bin",
    ...over,
  };
}

const NON_UTF8_VALUE = "caf\u00e9 \u00ff"; // latin1 reading of bytes 63 61 66 e9 20 ff

function sentHeaders(s: TRequestSpec): [string, string][] {
  return s.headers.filter(([k]) => !["host", "content-length", "transfer-encoding"].includes(k.toLowerCase())) as [string, string][];
}

describe("copy as cURL, run for real", () => {
  test("repeats method, path as is, headers in order and case with duplicates, and a hostile body", async () => {
    const body = new TextEncoder().encode(`{"a":"${HOSTILE.join("|").replaceAll("\n", "\\n").replaceAll('"', "'")}"}`);
    const s = spec({
      method: "PATCH",
      headers: [
        ["Host", "capture.example"],
        ["X-Lower", "v"],
        ["X-Dup", "first"],
        ["x-dup", "second"],
        ["Content-Type", "application/json"],
        ["X-Evil", HOSTILE[0]!],
        ["X-Subshell", HOSTILE[1]!],
        ["X-Latin1", NON_UTF8_VALUE],
        ["X-Empty", ""],
        ["Content-Length", String(body.length)],
      ],
      body,
    });
    const cmd = toCurl(s);
    assert.match(cmd, /^[\x20-\x7e\n]*$/, "only printable ASCII");
    seen.length = 0;
    await run("bash", ["-c", `${cmd} -s -o /dev/null`]);
    assert.equal(fs.existsSync("/tmp/pwned-by-curl"), false);
    const got = seen.at(-1)!;
    assert.equal(got.method, "PATCH");
    assert.equal(got.url, "/h/slug/a/../b?x=1&y=[2]");
    const names = got.rawHeaders.map(([k]) => k);
    assert.deepEqual(
      got.rawHeaders.filter(([k]) => !["host", "content-length"].includes(k.toLowerCase())).map(([k, v]) => [k, Buffer.from(v, "latin1")]),
      sentHeaders(s).map(([k, v]) => [k, Buffer.from(v, "latin1")]),
    );
    assert.ok(!names.some((n) => /^(user-agent|accept|expect)$/i.test(n)), `curl added its own headers: ${names.join(", ")}`);
    assert.deepEqual(got.body, Buffer.from(body));
  });

  test("a binary body goes through a file and arrives byte for byte", async () => {
    const body = Uint8Array.from({ length: 5000 }, (_, i) => (i * 31) % 256);
    const s = spec({ headers: [["Content-Type", "application/octet-stream"]], body });
    const cmd = toCurl(s);
    assert.match(cmd, /--data-binary '@slug-1\.bin'/);
    assert.match(cmd, /^# Save the body as slug-1\.bin/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hs-curl-"));
    fs.writeFileSync(path.join(dir, "slug-1.bin"), body);
    seen.length = 0;
    await run("bash", ["-c", `${cmd} -s -o /dev/null`], { cwd: dir });
    fs.rmSync(dir, { recursive: true });
    const got = seen.at(-1)!;
    assert.deepEqual(got.body, Buffer.from(body));
    assert.deepEqual(
      got.rawHeaders.map(([k]) => k),
      ["Host", "Content-Type", "Content-Length"], // curl writes its computed Content-Length last
    );
  });

  test("HEAD and unknown methods; a GET without body adds no Content-Type", async () => {
    seen.length = 0;
    await run("bash", ["-c", `${toCurl(spec({ method: "PROPFIND" }))} -s -o /dev/null`]);
    assert.equal(seen.at(-1)!.method, "PROPFIND");
    assert.match(toCurl(spec({ method: "HEAD" })), /--head/);
    assert.doesNotMatch(toCurl(spec({ method: "GET" })), /Content-Type/);
  });

  test("redacted values are a visible placeholder with a note", () => {
    const cmd = toCurl(spec({ headers: [["Authorization", null]] }));
    assert.match(cmd, /-H 'Authorization: REDACTED'/);
    assert.match(cmd, /^# Redacted header values/m);
  });
});

describe("copy as fetch, run for real", () => {
  test("repeats method, headers (byte strings) and a UTF-8 body", async () => {
    const text = `{"t":"${HOSTILE.slice(0, 3).join(" ")}","u":"😀\u202e"}`;
    const s = spec({
      method: "PUT",
      url: `${base}/h/slug/p?q=${encodeURIComponent("</script>")}`,
      headers: [
        ["Content-Type", "application/json"],
        ["X-Evil", HOSTILE[2]!],
        ["X-Latin1", NON_UTF8_VALUE],
      ],
      body: new TextEncoder().encode(text),
    });
    const code = toFetch(s);
    assert.match(code, /^[\x20-\x7e\n]*$/);
    seen.length = 0;
    await new Function(`return (async () => { ${code} })();`)();
    const got = seen.at(-1)!;
    assert.equal(got.method, "PUT");
    const byName = (n: string) => got.rawHeaders.find(([k]) => k.toLowerCase() === n)?.[1];
    assert.equal(byName("x-evil"), HOSTILE[2]);
    assert.deepEqual(Buffer.from(byName("x-latin1")!, "latin1"), Buffer.from(NON_UTF8_VALUE, "latin1"));
    assert.equal(got.body.toString("utf8"), text);
  });

  test("a small binary body is inlined as base64 and arrives intact", async () => {
    const body = Uint8Array.from([0xff, 0xfe, 0x00, 0x01, 0x80]);
    seen.length = 0;
    await new Function(`return (async () => { ${toFetch(spec({ body }))} })();`)();
    assert.deepEqual(seen.at(-1)!.body, Buffer.from(body));
  });
});

describe("copy as HTTPie", () => {
  test("quotes hostile values, unsets HTTPie's own headers, reads a binary body from stdin", async () => {
    const cmd = toHttpie(
      spec({
        headers: [
          ["X-Evil", HOSTILE[0]!],
          ["X-Empty", ""],
          ["User-Agent", "Stripe/1.0"],
        ],
        body: Uint8Array.of(0, 1, 2),
      }),
    );
    assert.match(cmd, /^[\x20-\x7e\n]*$/);
    assert.match(cmd, /'X-Evil:'\\''; touch/);
    assert.match(cmd, /'X-Empty;'/);
    assert.match(cmd, /'User-Agent:Stripe\/1\.0'/);
    assert.match(cmd, /'Accept:'/);
    assert.match(cmd, /< 'slug-1\.bin'$/);
    // Every word is a real shell word: bash parses the whole command (http replaced by printf).
    const words = await bashWord(
      cmd
        .replace(/^#.*\n/gm, "")
        .replace(/^http /, "")
        .replace(/\s*<\s*'slug-1\.bin'$/, ""),
    );
    assert.ok(words.includes(Buffer.from(`X-Evil:${HOSTILE[0]}`)));
    assert.equal(fs.existsSync("/tmp/pwned-by-curl"), false);
  });
  test("a text body goes with --raw=, options end before the method", () => {
    assert.match(toHttpie(spec({ body: new TextEncoder().encode("a=1") })), /^http --ignore-stdin --path-as-is --raw='a=1' -- 'POST' /);
  });
  test("a header value that starts with @ or = is escaped, so HTTPie neither reads a file nor makes a body field", () => {
    assert.equal(httpieHeaderItem("X-A", "@/etc/hostname"), "X-A:\\@/etc/hostname");
    assert.equal(httpieHeaderItem("X-A", "=@.env"), "X-A:\\=@.env");
    assert.equal(httpieHeaderItem("X-A", ":x"), "X-A:\\:x");
    assert.equal(httpieHeaderItem("X-A", "a@b=c"), "X-A:a@b=c");
    // HTTPie cannot keep a backslash before : ; = or @: the command says so instead.
    assert.equal(httpieHeaderItem("X-A", "a\\@b"), null);
    assert.match(toHttpie(spec({ headers: [["X-A", "a\\@b"]] })), /^# HTTPie drops a backslash .*: X-A\.$/m);
  });
});

// Bodies and header values that a tool could read as "take this from a file" or as shell syntax.
const FILE_LIKE = [
  "@/etc/hostname",
  "@.env",
  "@-",
  "<.env",
  "$(id)",
  "`id`",
  "'\"quotes\"'",
  "line1\nline2\r\n",
  "=@.env",
  "-d",
  "--data=x",
];
const BINARY_NO_NUL = Uint8Array.from({ length: 255 }, (_, i) => i + 1);

/** A folder holding an .env file the commands must not read; the commands run there. */
function decoyDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hs-copy-"));
  fs.writeFileSync(path.join(dir, ".env"), "SECRET=leaked\n");
  return dir;
}

describe("copied commands send the captured bytes, never a local file", () => {
  const bodies: [string, Uint8Array][] = [
    ...FILE_LIKE.map((t): [string, Uint8Array] => [JSON.stringify(t), new TextEncoder().encode(t)]),
    ["binary 01..ff", BINARY_NO_NUL],
  ];
  for (const [label, body] of bodies) {
    test(`cURL body ${label}`, async () => {
      const dir = decoyDir();
      seen.length = 0;
      await run("bash", ["-c", `${toCurl(spec({ body }))} -s -o /dev/null`], { cwd: dir });
      fs.rmSync(dir, { recursive: true });
      assert.deepEqual(seen.at(-1)!.body, Buffer.from(body));
    });
    test(`fetch body ${label}`, async () => {
      seen.length = 0;
      await new Function(`return (async () => { ${toFetch(spec({ body }))} })();`)();
      assert.deepEqual(seen.at(-1)!.body, Buffer.from(body));
    });
  }
  test("cURL header values that look like files or options", async () => {
    const headers = FILE_LIKE.filter((t) => !/[\r\n]/.test(t)).map((t, i): [string, string] => [`X-H${i}`, t]);
    const dir = decoyDir();
    seen.length = 0;
    await run("bash", ["-c", `${toCurl(spec({ headers }))} -s -o /dev/null`], { cwd: dir });
    fs.rmSync(dir, { recursive: true });
    for (const [k, v] of headers) assert.equal(seen.at(-1)!.rawHeaders.find(([n]) => n === k)?.[1], v);
  });

  // HTTPie is not part of the toolchain; where it is installed (Debian: apt install httpie) the commands run for real.
  const httpie = ["/usr/bin/http", "/usr/local/bin/http"].find((p) => fs.existsSync(p));
  test(
    "HTTPie, run for real: bodies and header values that look like files arrive as sent",
    { skip: !httpie && "HTTPie not installed" },
    async () => {
      const headers = FILE_LIKE.filter((t) => !/[\r\n]/.test(t)).map((t, i): [string, string] => [`X-H${i}`, t]);
      for (const [, body] of bodies) {
        if (body.some((b) => b >= 0x80)) continue; // HTTPie sends --raw text as UTF-8
        const dir = decoyDir();
        seen.length = 0;
        await run("bash", ["-c", toHttpie(spec({ headers, body })).replace(/^http /m, `${httpie} --print= `)], { cwd: dir });
        fs.rmSync(dir, { recursive: true });
        const got = seen.at(-1)!;
        assert.deepEqual(got.body, Buffer.from(body));
        for (const [k, v] of headers) assert.equal(got.rawHeaders.find(([n]) => n === k)?.[1], v);
      }
    },
  );
});

test("a body preview (the capture detail's first 256 KiB) gives the same commands as the whole body: both read it from the file", () => {
  assert.ok(BODY_PREVIEW_BYTES > INLINE_BODY_MAX, "a cut preview is always over the inline limit");
  const whole = new TextEncoder().encode(`{"data":"${"x".repeat(10 * 1024 * 1024)}"}`);
  const { truncated, ...preview } = makeBodyPreview(whole.subarray(0, BODY_PREVIEW_BYTES), whole.length);
  assert.equal(truncated, true);
  const spec = (body: Uint8Array): TRequestSpec => ({
    method: "POST",
    url: "http://127.0.0.1:1/h/x",
    headers: [["Content-Type", "application/json"]],
    body,
    httpVersion: "1.1",
    bodyFileName: "x-1.bin",
  });
  for (const make of [toCurl, toFetch, toHttpie]) {
    const fromPreview = make(spec(bodyPreviewBytes(preview)));
    assert.equal(fromPreview, make(spec(whole)));
    assert.match(fromPreview, /x-1\.bin/);
    assert.ok(!fromPreview.includes("xxxxxxxx"), "no body bytes inline");
  }
});
