// Strict XML parsing for tests: saxes, an XML 1.0 parser that rejects what a well-formed document
// may not hold (forbidden characters, unescaped markup, unbalanced tags), into a small tree.
import assert from "node:assert/strict";
import { SaxesParser } from "saxes";

export interface El {
  name: string;
  attributes: Record<string, string>;
  children: El[];
  text: string;
}

/** Parses strictly; throws on the first well-formedness error. */
export function parseXml(xml: string): El {
  const parser = new SaxesParser();
  const root: El = { name: "#document", attributes: {}, children: [], text: "" };
  const stack: El[] = [root];
  let error: Error | null = null;
  parser.on("error", (e) => (error ??= e));
  parser.on("opentag", (t) => {
    const el: El = { name: t.name, attributes: t.attributes as Record<string, string>, children: [], text: "" };
    stack.at(-1)!.children.push(el);
    stack.push(el);
  });
  parser.on("closetag", () => void stack.pop());
  parser.on("text", (t) => (stack.at(-1)!.text += t));
  parser.write(xml).close();
  if (error) throw error;
  assert.equal(root.children.length, 1, "one root element");
  return root.children[0]!;
}
