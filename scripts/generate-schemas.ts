// Writes schemas/<name>.schema.json from the zod schemas. Run: npm run schemas
import { mkdirSync, writeFileSync } from "node:fs";
import { jsonSchemaSources, jsonSchemaText } from "../src/cli/schemas";

mkdirSync("schemas", { recursive: true });
for (const [name, schema] of Object.entries(jsonSchemaSources)) {
  writeFileSync(`schemas/${name}.schema.json`, jsonSchemaText(name, schema));
  console.log(`wrote schemas/${name}.schema.json`);
}
