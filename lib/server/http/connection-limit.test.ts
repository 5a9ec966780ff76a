import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import net from "node:net";
import { test } from "node:test";
import { limitConnectionsPerIp } from "./connection-limit";

/** Enough of a socket for the limit: its peer address, and whether it was refused. */
function fakeSocket(remoteAddress: string) {
  return Object.assign(new EventEmitter(), {
    remoteAddress,
    refused: "",
    resume() {},
    end(answer: string) {
      this.refused = answer;
    },
    destroy() {},
  });
}

test("the cap counts an IPv6 peer by its /64, an IPv4 peer by its address", () => {
  const server = new net.Server();
  const admitted: string[] = [];
  server.on("connection", (s: { remoteAddress: string }) => admitted.push(s.remoteAddress));
  const limit = limitConnectionsPerIp(server, 2);
  const connect = (address: string) => {
    const s = fakeSocket(address);
    server.emit("connection", s);
    return s;
  };

  connect("2001:db8:1:2::1");
  const second = connect("2001:db8:1:2::2");
  const third = connect("2001:db8:1:2:ffff:ffff:ffff:ffff");
  assert.match(third.refused, /^HTTP\/1\.1 503 /, "a third address of the same /64 is refused");
  assert.equal(connect("2001:db8:1:3::1").refused, "", "another /64 is counted apart");
  assert.equal(limit.count("2001:db8:1:2::99"), 2);

  second.emit("close");
  assert.equal(connect("2001:db8:1:2::3").refused, "", "a slot again once one closes");

  connect("192.0.2.1");
  connect("::ffff:192.0.2.1");
  assert.match(connect("192.0.2.1").refused, /^HTTP\/1\.1 503 /, "IPv4-mapped counts as its IPv4 address");
  assert.equal(connect("192.0.2.2").refused, "");
  assert.deepEqual(admitted, [
    "2001:db8:1:2::1",
    "2001:db8:1:2::2",
    "2001:db8:1:3::1",
    "2001:db8:1:2::3",
    "192.0.2.1",
    "::ffff:192.0.2.1",
    "192.0.2.2",
  ]);
});
