// A small reader for prisma/schema.prisma and a comparison against a live database, so a model
// change without a migration (or a migration that drifts from the model) fails a test instead of
// failing in production. Covers the subset of the schema language Hookscope uses; anything it
// does not understand throws, so a new construct cannot slip past unchecked.
import type pg from "pg";

export interface PrismaField {
  name: string;
  column: string;
  /** Prisma scalar type (String, Int, …) or a model name for relation fields. */
  type: string;
  optional: boolean;
  list: boolean;
  /** `@db.Timestamptz(6)` → { name: "Timestamptz", args: ["6"] } */
  native: { name: string; args: string[] } | null;
  id: boolean;
  unique: boolean;
  /** The expression inside @default(…), or null. */
  default: string | null;
  relation: { fields: string[]; references: string[]; onDelete: string | null } | null;
}

export interface PrismaModel {
  name: string;
  table: string;
  fields: PrismaField[];
  /** Field names of @@id, if any. */
  compoundId: string[] | null;
  /** Field names of each @@unique. */
  compoundUniques: string[][];
  /** Field names of each @@index. */
  indexes: string[][];
}

const SCALARS = new Set(["String", "Int", "BigInt", "Boolean", "DateTime", "Json", "Bytes", "Float", "Decimal"]);

function stripComments(source: string): string {
  // Schema strings never contain "//" here; a quoted-string-aware scan is not worth it yet.
  return source
    .split("\n")
    .map((line) => line.replace(/\/\/.*$/, ""))
    .join("\n");
}

/** The text inside the parentheses that follow `start` (balanced), or null. */
function argsAfter(text: string, start: number): string | null {
  if (text[start] !== "(") return null;
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")" && --depth === 0) return text.slice(start + 1, i);
  }
  throw new Error(`Unbalanced parentheses in: ${text}`);
}

function attribute(text: string, name: string): string | null | undefined {
  const re = new RegExp(`(^|\\s)${name.replace(/[.@]/g, (c) => `\\${c}`)}(?![\\w.])`);
  const m = re.exec(text);
  if (!m) return undefined;
  return argsAfter(text, m.index + m[0].length);
}

function fieldList(args: string, key?: string): string[] {
  const source = key ? (new RegExp(`${key}\\s*:\\s*\\[([^\\]]*)\\]`).exec(args)?.[1] ?? null) : /^\s*\[([^\]]*)\]/.exec(args)?.[1];
  if (source == null) throw new Error(`Expected a [field, …] list in (${args})`);
  return source
    .split(",")
    .map((s) => s.trim().replace(/\(.*\)$/, "")) // `seq(sort: Desc)` → seq
    .filter(Boolean);
}

function quoted(args: string | null | undefined, what: string): string {
  const m = args == null ? null : /^\s*(?:name\s*:\s*)?"([^"]*)"/.exec(args);
  if (!m) throw new Error(`Expected a quoted name in ${what}(${args ?? ""})`);
  return m[1]!;
}

/** Parses the models of a Prisma schema. Enums, views and composite types are refused. */
export function parsePrismaSchema(source: string): PrismaModel[] {
  const blocks: [kind: string, name: string, body: string[]][] = [];
  let open: [string, string, string[]] | null = null;
  for (const raw of stripComments(source).split("\n")) {
    const line = raw.trim();
    const start = /^(model|enum|view|type|generator|datasource)\s+(\w+)\s*\{$/.exec(line);
    if (start) {
      if (open) throw new Error(`block ${start[2]} starts inside block ${open[1]}`);
      open = [start[1]!, start[2]!, []];
    } else if (line === "}") {
      if (!open) throw new Error("unmatched } in the schema");
      if (open[0] !== "generator" && open[0] !== "datasource") blocks.push(open);
      open = null;
    } else if (open) open[2].push(line);
    else if (line) throw new Error(`cannot read schema line "${line}"`);
  }
  if (open) throw new Error(`block ${open[1]} is not closed`);
  const models: PrismaModel[] = [];
  for (const [kind, name, body] of blocks) {
    if (kind !== "model") throw new Error(`${kind} ${name}: not supported by the schema check yet; extend test/support/prisma-schema.ts`);
    const model: PrismaModel = { name, table: name, fields: [], compoundId: null, compoundUniques: [], indexes: [] };
    for (const line of body) {
      if (!line) continue;
      if (line.startsWith("@@")) {
        const m = /^@@(\w+)/.exec(line)!;
        const args = argsAfter(line, m[0].length);
        if (args == null) throw new Error(`${name}: ${line} has no arguments`);
        if (m[1] === "map") model.table = quoted(args, "@@map");
        else if (m[1] === "unique") model.compoundUniques.push(fieldList(args));
        else if (m[1] === "id") model.compoundId = fieldList(args);
        else if (m[1] === "index") model.indexes.push(fieldList(args));
        else throw new Error(`${name}: block attribute @@${m[1]} is not supported by the schema check yet`);
        continue;
      }
      const m = /^(\w+)\s+(\w+)(\[\])?(\?)?(?:\s+(.*))?$/.exec(line);
      if (!m) throw new Error(`${name}: cannot read field line "${line}"`);
      const [, fieldName, type, list, optional, attrs = ""] = m;
      const mapped = attribute(attrs, "@map");
      const native = /@db\.(\w+)/.exec(attrs);
      const relationArgs = attribute(attrs, "@relation");
      model.fields.push({
        name: fieldName!,
        column: mapped === undefined ? fieldName! : quoted(mapped, "@map"),
        type: type!,
        optional: Boolean(optional),
        list: Boolean(list),
        native: native
          ? {
              name: native[1]!,
              args: (argsAfter(attrs, native.index + native[0].length) ?? "")
                .split(",")
                .map((s) => s.trim())
                .filter(Boolean),
            }
          : null,
        id: attribute(attrs, "@id") !== undefined,
        unique: attribute(attrs, "@unique") !== undefined,
        default: attribute(attrs, "@default") ?? null,
        relation:
          relationArgs == null || !/fields\s*:/.test(relationArgs)
            ? null
            : {
                fields: fieldList(relationArgs, "fields"),
                references: fieldList(relationArgs, "references"),
                onDelete: /onDelete\s*:\s*(\w+)/.exec(relationArgs)?.[1] ?? null,
              },
      });
    }
    models.push(model);
  }
  // Relation fields are typed by another model; everything else must be a known scalar.
  const names = new Set(models.map((m) => m.name));
  for (const model of models) {
    for (const f of model.fields) {
      if (!SCALARS.has(f.type) && !names.has(f.type))
        throw new Error(`${model.name}.${f.name}: type ${f.type} is not supported by the schema check yet`);
    }
  }
  return models;
}

/** Fields stored in a column of the model's table (relation and list fields are not). */
export function scalarFields(model: PrismaModel): PrismaField[] {
  return model.fields.filter((f) => SCALARS.has(f.type) && !f.list);
}

interface ExpectedType {
  dataType: string;
  precision?: number;
  maxLength?: number;
}

/** The information_schema.columns data_type Prisma's migrations produce for a field. */
export function expectedColumnType(f: PrismaField): ExpectedType {
  const n = f.native;
  const arg = (i: number, fallback: number) => (n?.args[i] === undefined ? fallback : Number(n.args[i]));
  switch (f.type) {
    case "String":
      if (!n || n.name === "Text") return { dataType: "text" };
      if (n.name === "Uuid") return { dataType: "uuid" };
      if (n.name === "VarChar")
        return n.args.length ? { dataType: "character varying", maxLength: arg(0, 0) } : { dataType: "character varying" };
      if (n.name === "Char") return { dataType: "character", maxLength: arg(0, 1) };
      break;
    case "Int":
      if (!n || n.name === "Integer") return { dataType: "integer" };
      if (n.name === "SmallInt") return { dataType: "smallint" };
      break;
    case "BigInt":
      if (!n || n.name === "BigInt") return { dataType: "bigint" };
      break;
    case "Boolean":
      if (!n) return { dataType: "boolean" };
      break;
    case "Float":
      if (!n || n.name === "DoublePrecision") return { dataType: "double precision" };
      if (n.name === "Real") return { dataType: "real" };
      break;
    case "Decimal":
      return { dataType: "numeric" };
    case "DateTime":
      if (!n || n.name === "Timestamp") return { dataType: "timestamp without time zone", precision: arg(0, 3) };
      if (n.name === "Timestamptz") return { dataType: "timestamp with time zone", precision: arg(0, 3) };
      if (n.name === "Date") return { dataType: "date" };
      break;
    case "Json":
      if (!n || n.name === "JsonB") return { dataType: "jsonb" };
      if (n.name === "Json") return { dataType: "json" };
      break;
    case "Bytes":
      if (!n || n.name === "ByteA") return { dataType: "bytea" };
      break;
  }
  throw new Error(`${f.name}: ${f.type}${n ? ` @db.${n.name}` : ""} is not supported by the schema check yet`);
}

interface ColumnRow {
  table_name: string;
  column_name: string;
  data_type: string;
  is_nullable: "YES" | "NO";
  datetime_precision: number | null;
  character_maximum_length: number | null;
  column_default: string | null;
}

interface IndexRow {
  table_name: string;
  index_name: string;
  is_unique: boolean;
  is_primary: boolean;
  columns: string[];
}

interface ForeignKeyRow {
  table_name: string;
  columns: string[];
  ref_table: string;
  ref_columns: string[];
  delete_rule: string;
}

const PRISMA_ON_DELETE: Record<string, string> = {
  Cascade: "CASCADE",
  Restrict: "RESTRICT",
  NoAction: "NO ACTION",
  SetNull: "SET NULL",
  SetDefault: "SET DEFAULT",
};

/** Defaults Prisma fills in itself (so the column needs none). */
const CLIENT_SIDE_DEFAULT = /^(uuid|cuid|nanoid|ulid)\(/;

/**
 * Differences between the models and the database's public schema, one readable line each;
 * empty when they agree. Checks tables, columns (type, precision, nullability, defaults), extra
 * columns and tables, primary keys, unique constraints, indexes and foreign keys.
 */
export async function compareSchemaWithDatabase(models: PrismaModel[], client: pg.Client): Promise<string[]> {
  const problems: string[] = [];
  const { rows: columns } = await client.query<ColumnRow>(
    `SELECT table_name, column_name, data_type, is_nullable, datetime_precision, character_maximum_length, column_default
       FROM information_schema.columns WHERE table_schema = 'public'`,
  );
  const { rows: indexes } = await client.query<IndexRow>(
    `SELECT t.relname AS table_name, i.relname AS index_name, x.indisunique AS is_unique, x.indisprimary AS is_primary,
            array(SELECT a.attname::text FROM unnest(x.indkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord) AS columns
       FROM pg_index x
       JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_namespace ns ON ns.oid = t.relnamespace
      WHERE ns.nspname = 'public'`,
  );
  const { rows: foreignKeys } = await client.query<ForeignKeyRow>(
    `SELECT t.relname AS table_name, rt.relname AS ref_table,
            array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
            array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.ord) AS ref_columns,
            CASE c.confdeltype WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT' WHEN 'c' THEN 'CASCADE'
                               WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' END AS delete_rule
       FROM pg_constraint c
       JOIN pg_class t ON t.oid = c.conrelid
       JOIN pg_class rt ON rt.oid = c.confrelid
       JOIN pg_namespace ns ON ns.oid = t.relnamespace
      WHERE c.contype = 'f' AND ns.nspname = 'public'`,
  );

  const tables = new Set(columns.map((c) => c.table_name));
  const modelTables = new Set(models.map((m) => m.table));
  for (const t of tables) {
    if (t !== "_prisma_migrations" && !modelTables.has(t)) problems.push(`table ${t} exists in the database but has no model`);
  }

  const sameColumns = (a: string[], b: string[]) => a.length === b.length && a.every((c, i) => c === b[i]);

  for (const model of models) {
    if (!tables.has(model.table)) {
      problems.push(`model ${model.name}: table ${model.table} is missing`);
      continue;
    }
    const byName = new Map(model.fields.map((f) => [f.name, f]));
    const columnOf = (field: string) => {
      const f = byName.get(field);
      if (!f) throw new Error(`${model.name}: attribute names unknown field ${field}`);
      return f.column;
    };
    const dbColumns = new Map(columns.filter((c) => c.table_name === model.table).map((c) => [c.column_name, c]));
    const fields = scalarFields(model);
    const where = (f: PrismaField) => `${model.name}.${f.name} (${model.table}.${f.column})`;

    for (const f of fields) {
      const col = dbColumns.get(f.column);
      if (!col) {
        problems.push(`${where(f)}: column is missing`);
        continue;
      }
      const want = expectedColumnType(f);
      if (col.data_type !== want.dataType) problems.push(`${where(f)}: type is ${col.data_type}, the model says ${want.dataType}`);
      if (want.precision !== undefined && col.datetime_precision !== want.precision) {
        problems.push(`${where(f)}: precision is ${col.datetime_precision}, the model says ${want.precision}`);
      }
      if (want.maxLength !== undefined && col.character_maximum_length !== want.maxLength) {
        problems.push(`${where(f)}: length is ${col.character_maximum_length}, the model says ${want.maxLength}`);
      }
      const nullable = col.is_nullable === "YES";
      if (nullable !== f.optional)
        problems.push(`${where(f)}: column is ${nullable ? "NULL" : "NOT NULL"}, the model says ${f.optional ? "optional" : "required"}`);
      const needsDbDefault = f.default !== null && !CLIENT_SIDE_DEFAULT.test(f.default);
      if (needsDbDefault && col.column_default === null)
        problems.push(`${where(f)}: the model has @default(${f.default}) but the column has no default`);
    }
    const modelColumns = new Set(fields.map((f) => f.column));
    for (const c of dbColumns.keys()) {
      if (!modelColumns.has(c)) problems.push(`${model.table}.${c}: column exists in the database but not in model ${model.name}`);
    }

    const tableIndexes = indexes.filter((i) => i.table_name === model.table);
    const idColumns = model.compoundId?.map(columnOf) ?? fields.filter((f) => f.id).map((f) => f.column);
    const pk = tableIndexes.find((i) => i.is_primary);
    if (!pk || !sameColumns(pk.columns, idColumns)) {
      problems.push(`model ${model.name}: primary key is (${pk?.columns.join(", ") ?? "none"}), the model says (${idColumns.join(", ")})`);
    }
    const uniques = [...fields.filter((f) => f.unique).map((f) => [f.column]), ...model.compoundUniques.map((u) => u.map(columnOf))];
    for (const u of uniques) {
      if (!tableIndexes.some((i) => i.is_unique && !i.is_primary && sameColumns(i.columns, u))) {
        problems.push(`model ${model.name}: no unique index on (${u.join(", ")})`);
      }
    }
    for (const ix of model.indexes.map((u) => u.map(columnOf))) {
      if (!tableIndexes.some((i) => !i.is_primary && sameColumns(i.columns, ix)))
        problems.push(`model ${model.name}: no index on (${ix.join(", ")})`);
    }

    for (const f of model.fields) {
      if (!f.relation) continue;
      const target = models.find((m) => m.name === f.type);
      if (!target) throw new Error(`${model.name}.${f.name}: relation to unknown model ${f.type}`);
      const cols = f.relation.fields.map(columnOf);
      const targetFields = new Map(target.fields.map((tf) => [tf.name, tf.column]));
      const refCols = f.relation.references.map((r) => targetFields.get(r) ?? r);
      const fk = foreignKeys.find((k) => k.table_name === model.table && sameColumns(k.columns, cols));
      if (!fk) {
        problems.push(`${model.name}.${f.name}: no foreign key on ${model.table}(${cols.join(", ")})`);
        continue;
      }
      if (fk.ref_table !== target.table || !sameColumns(fk.ref_columns, refCols)) {
        problems.push(
          `${model.name}.${f.name}: foreign key references ${fk.ref_table}(${fk.ref_columns.join(", ")}), the model says ${target.table}(${refCols.join(", ")})`,
        );
      }
      // Prisma's default for a required relation is Restrict; for an optional one, SetNull.
      const onDelete = f.relation.onDelete ?? (f.optional ? "SetNull" : "Restrict");
      if (fk.delete_rule !== PRISMA_ON_DELETE[onDelete]) {
        problems.push(`${model.name}.${f.name}: ON DELETE ${fk.delete_rule}, the model says ${onDelete}`);
      }
    }
  }
  return problems;
}
