import assert from "node:assert/strict";
import { test } from "node:test";
import { npxCommand } from "./package-url";

test("npxCommand names the instance's tarball, with or without a trailing slash on the origin", () => {
  assert.equal(npxCommand("https://hooks.example.com", "send github"), "npx https://hooks.example.com/cli/hookscope.tgz send github");
  assert.equal(npxCommand("http://localhost:3000/", "--help"), "npx http://localhost:3000/cli/hookscope.tgz --help");
});
