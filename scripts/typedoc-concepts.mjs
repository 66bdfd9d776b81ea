// A typedoc plugin: puts each export of src/index.ts in the category of the concept it belongs to,
// which is the folder it is defined in (STYLE.md: one folder per concept), so that the API
// reference is grouped by concept without a `@category` tag on every declaration. A declaration
// that carries its own `@category` keeps it.
import { Comment, CommentTag, Converter } from "typedoc";
import ts from "typescript";

/** Concept of a source file, by its path under src/; the first match wins. */
const CONCEPTS = [
  [/\/src\/model\/checklist/, "Checklists"],
  [/\/src\/frameworks\//, "Embedded data"],
  [/\/src\/model\/framework|\/src\/model\/parse/, "Frameworks"],
  [/\/src\/model\//, "Model"],
  [/\/src\/scoring\//, "Scoring"],
  [/\/src\/rules\//, "Rules"],
  [/\/src\/checklists\//, "Checklists"],
  [/\/src\/screening\//, "Screening"],
  [/\/src\/internal\//, "Errors"],
];

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.converter.on(
    Converter.EVENT_RESOLVE_END,
    (context) => {
      for (const reflection of context.project.children ?? []) {
        let symbol = context.getSymbolFromReflection(reflection);
        if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = context.checker.getAliasedSymbol(symbol);
        const file = symbol?.declarations?.[0]?.getSourceFile().fileName.replaceAll("\\", "/");
        const concept = file && CONCEPTS.find(([pattern]) => pattern.test(file))?.[1];
        if (!concept) continue;
        const signature = reflection.signatures?.[0];
        const comment = reflection.comment ?? signature?.comment ?? (reflection.comment = new Comment());
        if (!comment.hasModifier("@category") && comment.getTags("@category").length === 0) {
          comment.blockTags.push(new CommentTag("@category", [{ kind: "text", text: concept }]));
        }
      }
    },
    100,
  );
}
