import type * as fs from "node:fs";
import { writeFileSync } from "node:fs";
import { END, rulesTable, START, withRulesTable } from "../../policy/docs";

// A small pack of known rules, so the table's text is exact.
jest.mock("../../policy/rules", () => ({
  policies: [
    { name: "mandatory-rule", description: "has a | pipe, *star* and _under_", enforcementLevel: "mandatory" },
    { name: "plain-rule", description: "no level given" },
  ],
}));
// Importing the generator must not rewrite the README (only `npm run docs:policy` does).
jest.mock("node:fs", () => ({ ...jest.requireActual<typeof fs>("node:fs"), writeFileSync: jest.fn() }));

const TABLE = [
  "| rule | what it requires | level |",
  "|---|---|---|",
  "| `mandatory-rule` | has a \\| pipe, \\*star\\* and \\_under\\_ | mandatory |",
  "| `plain-rule` | no level given | advisory |",
].join("\n");

test("importing the generator writes nothing", () => {
  expect(writeFileSync).not.toHaveBeenCalled();
});

test("the table: a header, its separator, a row per rule (markdown escaped, advisory without a level)", () => {
  expect(rulesTable()).toBe(TABLE);
});

describe("withRulesTable", () => {
  test("replaces what is between the markers and keeps the rest", () => {
    const readme = `# Title\n\nintro\n${START}\nold table\n${END}\n\nafter\n`;
    expect(withRulesTable(readme)).toBe(`# Title\n\nintro\n${START}\n\n${TABLE}\n\n${END}\n\nafter\n`);
  });

  test("works with the start marker at the very beginning", () => {
    expect(withRulesTable(`${START}${END}`)).toBe(`${START}\n\n${TABLE}\n\n${END}`);
  });

  test.each([
    ["no markers", "# Title\n"],
    ["only the start marker", `${START}\n`],
    ["only the end marker", `text\n${END}\n`],
    ["the end before the start", `${END}\n${START}\n`],
  ])("fails with %s", (_name, readme) => {
    expect(() => withRulesTable(readme)).toThrow(`README.md needs the markers ${START} and ${END}`);
  });
});
