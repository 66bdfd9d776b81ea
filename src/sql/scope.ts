import type { JsonLogicRule } from "../rules/index";
import type { DialectTable, SqlScalar } from "./dialect";
import { UntranslatableError, truth, type ExprType, type SqlExpr } from "./expr";
import { SQL_OPERATORS, type RuleScope } from "./operators";

/** The bound parameters of a query, written as tokens until the dialect's placeholders are known. @internal */
export class ParamList {
  readonly values: { value: string | number | boolean; type: SqlScalar }[] = [];
  private readonly index = new Map<string, number>();

  /** A token for a parameter (the same value and type share one). */
  token(value: string | number | boolean, type: SqlScalar): string {
    const key = `${type}\u0000${typeof value}\u0000${String(value)}`;
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.values.length;
      this.values.push({ value, type });
      this.index.set(key, i);
    }
    return `\u0001${i}\u0002`;
  }
}

/**
 * A relation computed in layers: each layer adds columns computed from the previous ones, so that
 * a sub-expression is written once and read by name (no exponential growth of nested CASEs).
 */
export class Relation {
  private readonly layers: string[][] = [];
  /** Every column added, and those read outside the relation (the others are dropped from its end where layers nest). */
  private readonly names: string[] = [];
  private readonly kept = new Set<string>();
  private count = 0;
  constructor(
    private readonly d: DialectTable,
    private readonly prefix: string,
  ) {}

  /** Adds a column computed in a layer; returns its quoted name. `kept`: it is read outside the relation. */
  column(sql: string, layer: number, kept = false): string {
    const name = this.d.quote(`${this.prefix}${this.count++}`);
    this.names.push(name);
    if (kept) this.kept.add(name);
    const at = Math.max(layer, 1);
    while (this.layers.length < at) this.layers.push([]);
    (this.layers[at - 1] as string[]).push(`${sql} AS ${name}`);
    return name;
  }

  /**
   * The layers as a chain of CTEs ending in `name`, each computed once where the dialect can say
   * so (DuckDB and PostgreSQL would otherwise inline a layer into the next, copying its expressions).
   */
  ctes(base: string, name: string, materialized: string): string[] {
    // DuckDB stacks the layers as projections in one plan, storing only the last one, without the columns read only inside it.
    if (this.d.nestLayers) {
      const built = this.build(base, `${name.replace(/["`]/g, "")}_`);
      const dropped = this.names.filter((column) => !this.kept.has(column));
      const end = dropped.length === 0 ? built : `SELECT * EXCLUDE (${dropped.join(", ")}) FROM (${built}) AS ${this.d.quote(`${name.replace(/["`]/g, "")}_end`)}`;
      return [`${name} AS ${materialized}(${end})`];
    }
    const out: string[] = [];
    let previous = base;
    const layers = this.layers.filter((columns) => columns.length > 0);
    layers.forEach((columns, i) => {
      const current = i === layers.length - 1 ? name : this.d.quote(`${name.replace(/["`]/g, "")}_${i + 1}`);
      out.push(`${current} AS ${materialized}(SELECT *, ${columns.join(", ")} FROM ${previous})`);
      previous = current;
    });
    if (layers.length === 0) out.push(`${name} AS ${materialized}(SELECT * FROM ${base})`);
    return out;
  }

  /** The SELECT over `base` (a relation name) adding every layer. */
  build(base: string, alias: string): string {
    let sql = `SELECT * FROM ${base}`;
    this.layers.forEach((columns, i) => {
      if (columns.length > 0) sql = `SELECT *, ${columns.join(", ")} FROM (${sql}) AS ${this.d.quote(`${alias}${i + 1}`)}`;
    });
    return sql;
  }
}

/** How a scope reads a path: a typed column or constant, or absent (undefined). @internal */
export type PathReader = (path: string, at: readonly (string | number)[]) => SqlExpr | undefined;

/** Quantifiers over members, where the scope has them. @internal */
export type Quantify = (kind: "some" | "all" | "none", body: JsonLogicRule, at: readonly (string | number)[]) => SqlExpr;

/** A condition under which the columns being added are read: a boolean column of the relation, and its layer. */
interface Guard {
  readonly column: string;
  readonly h: number;
}

/** The rule compiler over one relation: a {@link RuleScope} for the operator table. @internal */
export class Scope implements RuleScope {
  /**
   * Where the dialect guards operands ({@link DialectTable.guardOperands}): the innermost
   * condition under which the operand being compiled is reached (the previous operands of its
   * `and`/`or`, and of the enclosing ones, succeeded and did not stop). Columns added meanwhile
   * are computed only where it holds, NULL elsewhere, where nothing reads them.
   */
  private guards: Guard[] = [];

  constructor(
    readonly d: DialectTable,
    private readonly params: ParamList,
    private readonly relation: Relation,
    private readonly read: PathReader,
    private readonly quantifier: Quantify | undefined,
  ) {}

  param(value: string | number | boolean, type: SqlScalar): string {
    return this.d.param(this.params.token(value, type), type);
  }

  text(value: string): string {
    return this.param(value, "text");
  }

  compile(rule: JsonLogicRule, path: readonly (string | number)[]): SqlExpr {
    if (rule === null) return { t: "null", v: "NULL", f: null, nullable: true, lit: { value: null } };
    if (typeof rule === "number") return { t: "number", v: this.param(rule, "number"), f: null, nullable: false, lit: { value: rule } };
    if (typeof rule === "string") return { t: "text", v: this.text(rule), f: null, nullable: false, lit: { value: rule } };
    if (typeof rule === "boolean") return { t: "boolean", v: rule ? "TRUE" : "FALSE", f: null, nullable: false, lit: { value: rule } };
    if (Array.isArray(rule)) {
      if (!rule.every((item) => item === null || typeof item !== "object")) {
        throw new UntranslatableError("array", path, "holds rules; only arrays of literal values can be translated");
      }
      return { t: "list", v: "NULL", f: null, nullable: false, lit: { value: rule } };
    }
    const keys = Object.keys(rule as object);
    const op = keys[0] as string;
    const translate = SQL_OPERATORS.get(op);
    if (keys.length !== 1 || translate === undefined) throw new UntranslatableError(op, path, "has no SQL translation");
    const raw = (rule as Record<string, JsonLogicRule>)[op];
    const args = Array.isArray(raw) ? raw : [raw as JsonLogicRule];
    return translate(args, [...path, op], this, op);
  }

  node(t: ExprType, v: string, f: string | null, nullable: boolean, children: readonly SqlExpr[]): SqlExpr {
    const guard = this.guards[this.guards.length - 1];
    const h = Math.max(0, ...children.map((c) => c.h ?? 0));
    const short = (sql: string) => sql.length <= 48;
    if (short(v) && (f === null || short(f))) return { t, v, f, nullable, h };
    // Under a guard, the column is computed where the operand is reached (CASE evaluates its branch only on those rows).
    const at = guard === undefined ? h : Math.max(h, guard.h);
    const column = (sql: string) => this.relation.column(guard === undefined ? sql : `(CASE WHEN ${guard.column} THEN ${sql} END)`, at + 1);
    return {
      t,
      v: short(v) ? v : column(v),
      f: f === null ? null : short(f) ? f : column(f),
      nullable,
      h: at + 1,
    };
  }

  inOrder(args: readonly JsonLogicRule[], at: readonly (string | number)[], proceeds: (e: SqlExpr) => string): SqlExpr[] {
    if (this.d.guardOperands !== true) return args.map((arg, i) => this.compile(arg, [...at, i]));
    const depth = this.guards.length;
    const exprs: SqlExpr[] = [];
    try {
      args.forEach((arg, i) => {
        const e = this.compile(arg, [...at, i]);
        exprs.push(e);
        if (i === args.length - 1) return;
        // The next operand is reached where this one is, succeeded and did not stop: one boolean column, read by the guarded columns.
        const outer = this.guards[this.guards.length - 1];
        const parts = [...(outer === undefined ? [] : [outer.column]), ...(e.f === null ? [] : [`${e.f} IS NULL`]), proceeds(e)];
        const h = Math.max(outer?.h ?? 0, e.h ?? 0) + 1;
        this.guards.push({ column: this.relation.column(`(${parts.join(" AND ")})`, h), h });
      });
    } finally {
      this.guards.length = depth;
    }
    return exprs;
  }

  /** Puts a sub-expression's truthiness and failure into columns: what an outcome reads. */
  settle(e: SqlExpr): { truth: string; failure: string | null; h: number } {
    const settled = this.node("truth", truth(e, this), e.f, false, [e]);
    return { truth: settled.v, failure: settled.f, h: settled.h ?? 0 };
  }

  variable(path: string, fallback: SqlExpr | undefined, at: readonly (string | number)[]): SqlExpr {
    const found = this.read(path, at);
    if (found !== undefined) return found;
    return fallback ?? { t: "null", v: "NULL", f: null, nullable: true, lit: { value: null } };
  }

  present(path: string): boolean {
    return this.read(path, []) !== undefined;
  }

  quantify(kind: "some" | "all" | "none", source: JsonLogicRule, body: JsonLogicRule, at: readonly (string | number)[]): SqlExpr {
    const members = source !== null && typeof source === "object" && !Array.isArray(source) && Object.keys(source).length === 1
      ? (source as Record<string, unknown>).var
      : undefined;
    const path = Array.isArray(members) && members.length === 1 ? members[0] : members;
    if (path !== "members" || this.quantifier === undefined) {
      throw new UntranslatableError(kind, at, 'ranges over something other than {"var": "members"} of a household rule');
    }
    return this.quantifier(kind, body, at);
  }
}
