import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { blockedRangeOf, ipLiteral, v6Bytes } from "./address-policy";

/** What a URL's host turns into after WHATWG parsing (what the sender sees). */
function hostOf(url: string): string {
  return ipLiteral(new URL(url).hostname) ?? new URL(url).hostname;
}

describe("blockedRangeOf", () => {
  test("every internal IPv4 range is blocked", () => {
    for (const ip of [
      "127.0.0.1",
      "127.255.255.254",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "100.127.255.255",
      "0.0.0.0",
      "224.0.0.1",
      "239.255.255.250",
      "255.255.255.255",
      "198.18.0.1",
      "192.0.2.1",
    ]) {
      assert.ok(blockedRangeOf(ip), ip);
    }
  });

  test("public IPv4 addresses pass, including the neighbours of blocked ranges", () => {
    for (const ip of [
      "8.8.8.8",
      "1.1.1.1",
      "172.15.255.255",
      "172.32.0.0",
      "100.63.255.255",
      "100.128.0.0",
      "169.253.0.1",
      "11.0.0.1",
      "223.255.255.255",
    ]) {
      assert.equal(blockedRangeOf(ip), null, ip);
    }
  });

  test("IPv6 internal ranges, and IPv4 inside IPv6 judged by the IPv4 address", () => {
    for (const ip of [
      "::1",
      "::",
      "[::1]",
      "fe80::1",
      "fe80::1%eth0",
      "fc00::1",
      "fd12:3456::1",
      "ff02::1",
      "::ffff:127.0.0.1",
      "::ffff:7f00:1",
      "[::ffff:169.254.169.254]",
      "::ffff:10.0.0.1",
      "64:ff9b::a9fe:a9fe",
      "64:ff9b::7f00:1",
      "2002:7f00:1::1",
      "2002:a9fe:a9fe::",
      "::127.0.0.1",
      "2001:db8::1",
      "fd00:ec2::254",
    ]) {
      assert.ok(blockedRangeOf(ip), ip);
    }
    assert.match(blockedRangeOf("64:ff9b::a9fe:a9fe")!.name, /NAT64 link-local/);
    assert.match(blockedRangeOf("::ffff:127.0.0.1")!.name, /IPv4-mapped loopback/);
  });

  test("public IPv6 addresses, and public IPv4 inside IPv6, pass", () => {
    for (const ip of ["2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"]) {
      assert.equal(blockedRangeOf(ip), null, ip);
    }
  });

  test("throws on text that is not an IP address", () => {
    assert.throws(() => blockedRangeOf("localhost"));
    assert.throws(() => blockedRangeOf("127.1"));
  });
});

describe("literal forms after URL parsing", () => {
  test("shorthand, decimal, hex and octal IPv4 all become 127.0.0.1", () => {
    for (const u of [
      "http://127.1/",
      "http://2130706433/",
      "http://0x7f000001/",
      "http://0177.0.0.1/",
      "http://0x7f.1/",
      "http://127.000.000.001/",
    ]) {
      const host = hostOf(u);
      assert.equal(host, "127.0.0.1", u);
      assert.ok(blockedRangeOf(host), u);
    }
  });

  test("bracketed IPv6 hosts are literals; names are not", () => {
    assert.equal(ipLiteral(new URL("http://[::ffff:127.0.0.1]:8080/").hostname), "::ffff:7f00:1");
    assert.ok(blockedRangeOf(hostOf("http://[::ffff:127.0.0.1]/")));
    assert.ok(blockedRangeOf(hostOf("http://[64:ff9b::a9fe:a9fe]/")));
    assert.equal(ipLiteral("example.com"), null);
    assert.equal(ipLiteral("localhost"), null);
  });
});

describe("v6Bytes", () => {
  test("expands :: and embedded IPv4", () => {
    assert.deepEqual(v6Bytes("::1"), [...Array<number>(15).fill(0), 1]);
    assert.deepEqual(v6Bytes("::ffff:1.2.3.4")!.slice(10), [0xff, 0xff, 1, 2, 3, 4]);
    assert.deepEqual(v6Bytes("1:2:3:4:5:6:7:8"), [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]);
    assert.equal(v6Bytes("1.2.3.4"), null);
  });
});
