import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { clientGroup } from "./client-group";

describe("clientGroup", () => {
  test("IPv4 addresses are their own key, also when IPv4-mapped", () => {
    assert.equal(clientGroup("203.0.113.7"), "203.0.113.7");
    assert.equal(clientGroup("127.0.0.2"), "127.0.0.2");
    assert.equal(clientGroup("::ffff:127.0.0.2"), "127.0.0.2");
  });

  test("IPv6 addresses count per /64, whatever their spelling", () => {
    const k = clientGroup("2001:db8:1:2::1");
    assert.equal(k, "2001:db8:1:2::/64");
    assert.equal(clientGroup("2001:0db8:0001:0002:ffff:ffff:ffff:ffff"), k);
    assert.equal(clientGroup("2001:DB8:1:2:0:0:0:9"), k);
    assert.equal(clientGroup("fe80::1%eth0"), "fe80:0:0:0::/64");
    assert.equal(clientGroup("::1"), "0:0:0:0::/64");
    assert.equal(clientGroup("64:ff9b::192.0.2.1"), "64:ff9b:0:0::/64");
    assert.notEqual(clientGroup("2001:db8:1:3::1"), k);
  });

  test("anything else (empty, garbage) is used as is", () => {
    assert.equal(clientGroup(""), "");
    assert.equal(clientGroup("not:an:ip"), "not:an:ip");
  });
});
