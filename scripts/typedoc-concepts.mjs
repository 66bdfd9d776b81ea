// A typedoc plugin: puts each export of src/index.ts in the category of the concept it belongs to,
// which is the folder it is defined in (STYLE.md: one folder per concept), so that the API
// reference is grouped by concept without a `@category` tag on every declaration. A declaration
// that carries its own `@category` keeps it.
//
// It also shows a zod schema's type by its zod class alone (`ZodMiniObject`, not `ZodMiniObject<{ id:
// ZodMiniString<string>; … }, $strict>`): those type arguments are zod's internals, unreadable and
// undocumentable; each schema's comment names the type it validates, which is documented.
import { Comment, CommentTag, Converter, ReferenceType, ReflectionKind, ReflectionType } from "typedoc";
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

/**
 * Every reflection held by a type (the type literals of its type arguments, recursively).
 *
 * @param {unknown} value - A type, or a part of one.
 * @param {import("typedoc").DeclarationReflection[]} out - Where the reflections go.
 */
function typeReflections(value, out) {
  if (Array.isArray(value)) for (const item of value) typeReflections(item, out);
  else if (value instanceof ReflectionType) out.push(value.declaration);
  else if (value && typeof value === "object" && typeof value.type === "string" && !(value instanceof ReferenceType && !value.typeArguments)) {
    for (const part of Object.values(value)) if (part && typeof part === "object") typeReflections(part, out);
  }
}

/**
 * Drops the type arguments of every zod type within `type`, with the reflections they held.
 *
 * @param {import("typedoc").ProjectReflection} project - The project.
 * @param {import("typedoc").SomeType | undefined} type - A declaration's type.
 */
function stripZodArguments(project, type) {
  if (type instanceof ReferenceType && type.package === "zod" && type.typeArguments) {
    const held = [];
    typeReflections(type.typeArguments, held);
    for (const reflection of held) project.removeReflection(reflection);
    type.typeArguments = undefined;
  } else if (type instanceof ReflectionType) {
    for (const child of type.declaration.children ?? []) stripZodArguments(project, child.type);
  } else if (type && (type.type === "union" || type.type === "intersection")) {
    for (const member of type.types) stripZodArguments(project, member);
  } else if (type && type.type === "array") {
    stripZodArguments(project, type.elementType);
  }
}

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.converter.on(
    Converter.EVENT_RESOLVE_END,
    (context) => {
      for (const reflection of context.project.getReflectionsByKind(ReflectionKind.Variable)) {
        stripZodArguments(context.project, reflection.type);
      }
    },
    200,
  );
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
