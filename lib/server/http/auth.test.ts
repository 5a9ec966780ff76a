// The pure parts of key access: cookie parsing and the Set-Cookie line. The database-backed
// checks (requireEndpointAccess, requireCaptureAccess) are covered route by route in test/api.test.ts.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { resetEnvForTests } from "@/lib/server/env";
import { clearKeyCookies, cookieEndpointKeys, keyCookie, keyCookieHeaders, keyCookieName, parseCookies, withoutKeyCookies } from "./auth";

const ID = "0190d6f4-1a2b-7c3d-8e4f-0123456789ab";

function isSecure(setCookie: string): boolean {
  return setCookie.split("; ").includes("Secure");
}

/** Runs `fn` with some settings changed, then puts them back. */
function withEnv(vars: Record<string, string>, fn: () => void): void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  resetEnvForTests();
  try {
    fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetEnvForTests();
  }
}

function req(headers: Record<string, string> = {}, url = "http://localhost:3000/api/endpoints"): Request {
  return new Request(url, { headers });
}

describe("parseCookies", () => {
  test("splits name=value pairs, trims, decodes and keeps '=' inside values", () => {
    const m = parseCookies(" a=1; b = two ;c=x%3Dy; d=p=q");
    assert.deepEqual(
      [...m],
      [
        ["a", "1"],
        ["b", "two"],
        ["c", "x=y"],
        ["d", "p=q"],
      ],
    );
  });

  test("skips malformed parts instead of failing the request", () => {
    const m = parseCookies("novalue; =nameless; bad=%E0%A4%A; ok=1");
    assert.deepEqual([...m], [["ok", "1"]]);
    assert.equal(parseCookies(null).size, 0);
    assert.equal(parseCookies("").size, 0);
  });
});

describe("cookieEndpointKeys", () => {
  test("picks out key cookies for well-formed ids only", () => {
    const keys = cookieEndpointKeys(req({ cookie: `theme=dark; ${keyCookieName(ID)}=hsk_a; hsk_not-an-id=hsk_b; hsk_=x` }));
    assert.deepEqual([...keys], [[ID, "hsk_a"]]);
  });

  test("an upper-case id in the cookie name maps to the lower-case id the database returns", () => {
    const keys = cookieEndpointKeys(req({ cookie: `hsk_${ID.toUpperCase()}=hsk_a` }));
    assert.deepEqual([...keys], [[ID, "hsk_a"]]);
  });
});

describe("keyCookie", () => {
  test("httpOnly, SameSite=Lax, /api only (never sent to a capture URL), long-lived; the key URL-encoded", () => {
    const line = keyCookie(req(), ID, "hsk_a+b/c");
    const parts = line.split("; ");
    assert.equal(parts[0], `hsk_${ID}=hsk_a%2Bb%2Fc`);
    assert.ok(parts.includes("HttpOnly"));
    assert.ok(parts.includes("SameSite=Lax"));
    assert.ok(parts.includes("Path=/api"));
    assert.ok(parts.includes(`Max-Age=${400 * 24 * 3600}`));
    assert.ok(!parts.includes("Secure"), "plain http: a Secure cookie would never be sent back");
    assert.deepEqual(parseCookies(parts[0]!).get(`hsk_${ID}`), "hsk_a+b/c", "round-trips through parseCookies");
  });

  test("Secure over https, directly or behind a trusted proxy", () => {
    assert.ok(keyCookie(req({}, "https://hooks.example.com/api/endpoints"), ID, "k").split("; ").includes("Secure"));
    withEnv({ TRUST_PROXY: "1" }, () => {
      assert.ok(isSecure(keyCookie(req({ "x-forwarded-proto": "https" }), ID, "k")));
      // The proxy appends its own entry last; what the client claimed before it does not count.
      assert.ok(!isSecure(keyCookie(req({ "x-forwarded-proto": "https, http" }), ID, "k")));
      assert.ok(!isSecure(keyCookie(req({ "x-forwarded-proto": "http" }), ID, "k")));
    });
    withEnv({ TRUST_PROXY: "2" }, () => {
      assert.ok(isSecure(keyCookie(req({ "x-forwarded-proto": "https, http" }), ID, "k")));
    });
  });

  test("X-Forwarded-Proto is ignored when no proxy is trusted (anyone can send it)", () => {
    withEnv({ TRUST_PROXY: "0" }, () => {
      assert.ok(!isSecure(keyCookie(req({ "x-forwarded-proto": "https" }), ID, "k")));
    });
  });

  test("an https PUBLIC_BASE_URL always marks the cookie Secure", () => {
    withEnv({ PUBLIC_BASE_URL: "https://hooks.example.com" }, () => {
      assert.ok(isSecure(keyCookie(req(), ID, "k")));
    });
  });
});

describe("two cookies of one name (different paths)", () => {
  test("the first sent wins: browsers send the longer path first", () => {
    assert.equal(parseCookies(`hsk_${ID}=hsk_new; hsk_${ID}=hsk_old`).get(`hsk_${ID}`), "hsk_new");
  });

  test("giving a key sets the /api cookie and ends an older whole-site one", () => {
    const lines = keyCookieHeaders(req(), ID, "hsk_k").map(([name, value]) => [name, value.split("; ").slice(0, 2).join("; ")]);
    assert.deepEqual(lines, [
      ["Set-Cookie", `hsk_${ID}=hsk_k; Path=/api`],
      ["Set-Cookie", `hsk_${ID}=; Path=/`],
    ]);
  });
});

describe("clearKeyCookies", () => {
  test("ends the /api cookie and the whole-site one older versions set", () => {
    assert.deepEqual(
      clearKeyCookies(ID).map((l) => l.split("; ").slice(0, 3)),
      [
        [`hsk_${ID}=`, "Path=/api", "Max-Age=0"],
        [`hsk_${ID}=`, "Path=/", "Max-Age=0"],
      ],
    );
  });
});

describe("withoutKeyCookies", () => {
  test("drops hsk_ cookies from Cookie headers and keeps every other cookie and header as sent", () => {
    const sent: [string, string][] = [
      ["Host", "hooks.example.com"],
      ["Cookie", `theme=dark; hsk_${ID}=hsk_secret;hsk_${ID.toUpperCase()}=hsk_x;  session=abc=def; hsk_session=mine`],
      ["X-Note", "hsk_ in a header that is not Cookie stays"],
      ["cookie", `hsk_${ID}=hsk_secret`],
      ["COOKIE", "a=1;b=2"],
    ];
    assert.deepEqual(withoutKeyCookies(sent), [
      ["Host", "hooks.example.com"],
      // A sender's own hsk_session is not a key cookie: kept.
      ["Cookie", "theme=dark;  session=abc=def; hsk_session=mine"],
      ["X-Note", "hsk_ in a header that is not Cookie stays"],
      ["COOKIE", "a=1;b=2"],
    ]);
  });

  test("headers without a key cookie come back untouched, the same array", () => {
    const sent: [string, string][] = [
      ["Cookie", " a=1 ;b=hsk_value_is_not_a_name"],
      ["X-Hsk", "hsk_"],
    ];
    assert.equal(withoutKeyCookies(sent), sent);
    assert.deepEqual(withoutKeyCookies([["Cookie", "a=hsk_1; b=2"]]), [["Cookie", "a=hsk_1; b=2"]]);
  });
});
