import assert from "node:assert/strict";
import { test } from "node:test";
import { indexerBusy } from "./indexer";

test("the search indexer counts as busy while its process stores captures or it hears another process's commits", () => {
  let own = 0;
  let heard = 0;
  const probe = indexerBusy({ captured: () => own, heard: () => heard });
  let pause = probe();
  assert.equal(pause(), false, "quiet");
  pause = probe();
  heard++;
  assert.equal(pause(), true, "another process's commit");
  pause = probe();
  own++;
  assert.equal(pause(), true, "its own capture");
  // Without a LISTEN counter: its own captures only.
  pause = indexerBusy({ captured: () => own })();
  heard++;
  assert.equal(pause(), false);
});
