import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020";
import { describe, expect, it } from "vitest";
import { jsonSchemaSources, jsonSchemaText } from "../src/cli/schemas";
import { jiangxi2025, keyTasks2025 } from "../src/index";

function readSchema(name: string): string {
  try {
    return readFileSync(new URL(`../schemas/${name}.schema.json`, import.meta.url), "utf8");
  } catch {
    return "";
  }
}

/** An independent validator (ajv) for the published JSON Schemas. */
export function compileSchema(name: string) {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  return ajv.compile(JSON.parse(readSchema(name)) as object);
}

describe("the generated JSON Schemas", () => {
  it.each(Object.keys(jsonSchemaSources))("schemas/%s.schema.json matches the zod schema (else run `npm run schemas`)", (name) => {
    const schema = jsonSchemaSources[name];
    if (!schema) throw new Error(`no schema ${name}`);
    const expected = jsonSchemaText(name, schema);
    if (readSchema(name) !== expected) {
      throw new Error(`schemas/${name}.schema.json is out of date: run \`npm run schemas\` and commit the result`);
    }
  });

  it("say on their first field that they are generated, and by which command", () => {
    for (const name of Object.keys(jsonSchemaSources)) {
      expect(Object.keys(JSON.parse(readSchema(name)) as object)[0]).toBe("$comment");
      expect(readSchema(name)).toContain("npm run schemas");
    }
  });

  it("accept the embedded framework and key tasks (checked by ajv)", () => {
    const framework = compileSchema("framework");
    expect(framework(jiangxi2025), JSON.stringify(framework.errors)).toBe(true);
    const tasks = compileSchema("key-tasks");
    expect(tasks(keyTasks2025), JSON.stringify(tasks.errors)).toBe(true);
  });

  it("reject what the zod schemas reject by shape (ajv)", () => {
    const framework = compileSchema("framework");
    expect(framework({ ...jiangxi2025, level: "galactic" })).toBe(false);
    expect(framework({ ...jiangxi2025, deductionClauses: [{ ...jiangxi2025.deductionClauses[0], points: "1e3" }] })).toBe(false);
    expect(framework({ ...jiangxi2025, extra: 1 })).toBe(false);
  });
});
