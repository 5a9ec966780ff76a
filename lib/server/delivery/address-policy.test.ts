import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { blockedRangeOf, ipLiteral } from "./address-policy";

/** What a URL's host turns into after WHATWG parsing (what the sender sees). */
function hostOf(url: string): string {
  return ipLiteral(new URL(url).hostname) ?? new URL(url).hostname;
}

/**
 * Every entry of the IANA IPv4 and IPv6 Special-Purpose Address Registries (plus multicast and
 * the deprecated site-local range), with a sample address from each. All are refused, also the
 * few the registry marks globally reachable (AS112, AMT, 6to4 relay): no webhook receiver lives there.
 */
const IANA_SPECIAL: [cidr: string, sample: string][] = [
  ["0.0.0.0/8", "0.1.2.3"],
  ["10.0.0.0/8", "10.200.0.1"],
  ["100.64.0.0/10", "100.100.100.200"],
  ["127.0.0.0/8", "127.0.0.53"],
  ["169.254.0.0/16", "169.254.169.254"],
  ["172.16.0.0/12", "172.20.1.1"],
  ["192.0.0.0/24", "192.0.0.100"],
  ["192.0.0.0/29", "192.0.0.1"],
  ["192.0.0.8/32", "192.0.0.8"],
  ["192.0.0.9/32", "192.0.0.9"],
  ["192.0.0.10/32", "192.0.0.10"],
  ["192.0.0.170/32", "192.0.0.170"],
  ["192.0.0.171/32", "192.0.0.171"],
  ["192.0.2.0/24", "192.0.2.10"],
  ["192.31.196.0/24", "192.31.196.1"],
  ["192.52.193.0/24", "192.52.193.1"],
  ["192.88.99.0/24", "192.88.99.1"],
  ["192.168.0.0/16", "192.168.1.1"],
  ["192.175.48.0/24", "192.175.48.6"],
  ["198.18.0.0/15", "198.19.255.1"],
  ["198.51.100.0/24", "198.51.100.7"],
  ["203.0.113.0/24", "203.0.113.9"],
  ["224.0.0.0/4", "239.255.255.250"],
  ["240.0.0.0/4", "250.1.2.3"],
  ["255.255.255.255/32", "255.255.255.255"],
  ["::1/128", "::1"],
  ["::/128", "::"],
  ["::ffff:0:0/96", "::ffff:10.0.0.1"],
  ["64:ff9b::/96", "64:ff9b::a9fe:a9fe"],
  ["64:ff9b:1::/48", "64:ff9b:1::808:808"],
  ["100::/64", "100::1"],
  ["100:0:0:1::/64", "100:0:0:1::1"],
  ["2001::/23", "2001:1ff::1"],
  ["2001::/32", "2001:0:4136:e378:8000:63bf:3fff:fdd2"],
  ["2001:1::1/128", "2001:1::1"],
  ["2001:1::2/128", "2001:1::2"],
  ["2001:2::/48", "2001:2::1"],
  ["2001:3::/32", "2001:3::1"],
  ["2001:4:112::/48", "2001:4:112::1"],
  ["2001:10::/28", "2001:10::1"],
  ["2001:20::/28", "2001:20::1"],
  ["2001:30::/28", "2001:30::1"],
  ["2001:db8::/32", "2001:db8::1"],
  ["2002::/16", "2002:c0a8:101::1"],
  ["2620:4f:8000::/48", "2620:4f:8000::42"],
  ["3fff::/20", "3fff:fff::1"],
  ["5f00::/16", "5f00:1::1"],
  ["fc00::/7", "fd00:ec2::254"],
  ["fe80::/10", "fe80::1"],
  ["fec0::/10", "fec0::1"],
  ["ff00::/8", "ff02::1"],
];

describe("blockedRangeOf", () => {
  test("a sample of every IANA special-purpose range is refused", () => {
    for (const [cidr, sample] of IANA_SPECIAL) assert.ok(blockedRangeOf(sample), `${sample} (${cidr})`);
  });

  test("IPv4-translated addresses (::ffff:0:0:0/96) are judged by the IPv4 address they carry", () => {
    assert.match(blockedRangeOf("::ffff:0:7f00:1")!.name, /IPv4-translated loopback/);
    assert.match(blockedRangeOf("::ffff:0:a9fe:a9fe")!.name, /IPv4-translated link-local/);
    assert.match(blockedRangeOf("::ffff:0:a00:1")!.name, /IPv4-translated private/);
    assert.match(blockedRangeOf(hostOf("http://[::ffff:0:7f00:1]/"))!.cidr, /127\.0\.0\.0\/8/);
    assert.equal(blockedRangeOf("::ffff:0:808:808"), null);
  });

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
      "192.0.1.1",
      "192.31.195.1",
      "198.20.0.1",
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
    for (const ip of [
      "2606:4700:4700::1111",
      "2a00:1450:4001:80b::200e",
      "2001:200::1",
      "3fff:1000::1",
      "2620:4f:8001::1",
      "::ffff:8.8.8.8",
      "64:ff9b::808:808",
      "2002:808:808::1",
    ]) {
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
