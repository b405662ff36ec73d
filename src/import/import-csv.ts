import {
  constants,
  copyFileSync,
  createReadStream,
  existsSync,
  linkSync,
  readdirSync,
  rmSync,
  statSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import Database from "better-sqlite3";
import { parse } from "csv-parse";
import { isProcessRunning } from "../concurrency/process-identity.js";
import {
  LEGACY_TABLES,
  type LegacyTable,
  legacySchemaStatements,
} from "../data/legacy/legacy-schema.js";
import { convertCell, type ImportColumn } from "./column-value.js";
import { decodedText, detectEncoding, EncodingError, type TextEncoding } from "./text-encoding.js";

export interface ImportProblem {
  file: string;
  line: number | null;
  column: string | null;
  message: string;
}

export class ImportError extends Error {
  constructor(readonly problems: ImportProblem[]) {
    super(
      `import failed, nothing was written:\n${problems
        .map(
          (p) =>
            `  ${p.file}${p.line !== null ? `:${p.line}` : ""}${p.column ? ` [${p.column}]` : ""}: ${p.message}`,
        )
        .join("\n")}`,
    );
    this.name = "ImportError";
  }
}

export interface ImportSummary {
  path: string;
  rows: Partial<Record<LegacyTable, number>>;
  missingFiles: LegacyTable[];
  /** Orphan references found after loading (kept, as the legacy base may hold them). */
  orphans: { table: string; parent: string; rows: number }[];
  /** How each file was decoded: UTF-8, or Windows-1252 (Latin-1) as French spreadsheets save it. */
  encodings: Partial<Record<LegacyTable, TextEncoding>>;
}

const REQUIRED_FILES: readonly LegacyTable[] = ["magasins", "articles", "ventes"];
const MAX_PROBLEMS = 20;

/**
 * Builds a legacy-schema database from one CSV per table (header = column names), in a
 * temporary file renamed at the end: on any error nothing is half-imported.
 */
export async function importCsvDirectory(
  dbPath: string,
  dir: string,
  onProgress: (table: string, rows: number) => void = () => {},
): Promise<ImportSummary> {
  const files = planFiles(dbPath, dir);
  removeStaleImports(dbPath);
  const temporary = `${dbPath}.import-${process.pid}`;
  rmSync(temporary, { force: true });
  const db = new Database(temporary);
  try {
    db.pragma("journal_mode = OFF");
    db.pragma("synchronous = OFF");
    db.pragma("foreign_keys = OFF");
    const schema = legacySchemaStatements();
    for (const statement of schema.tables) db.exec(statement);
    const problems: ImportProblem[] = [];
    const rows: ImportSummary["rows"] = {};
    const encodings: ImportSummary["encodings"] = {};
    db.exec("BEGIN");
    for (const [table, file] of files) {
      rows[table] = await importTable(
        db,
        table,
        file,
        problems,
        (n) => onProgress(table, n),
        (encoding) => {
          encodings[table] = encoding;
        },
      );
      if (problems.length >= MAX_PROBLEMS) break;
    }
    if (problems.length > 0) throw new ImportError(problems);
    db.exec("COMMIT");
    for (const statement of schema.indexes) db.exec(statement);
    const orphans = findOrphans(db);
    db.pragma("journal_mode = WAL");
    db.close();
    publishExclusively(temporary, dbPath);
    return {
      path: dbPath,
      rows,
      missingFiles: LEGACY_TABLES.filter((t) => !files.has(t)),
      orphans,
      encodings,
    };
  } catch (error) {
    if (db.open) db.close();
    rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Gives the finished import its name only if nothing has that name yet: another program (or a
 * second import) may have created the file while this one ran, and it must not be replaced.
 * A hard link fails atomically when the name exists; where links are not supported, an
 * exclusive copy does the same.
 */
function publishExclusively(temporary: string, dbPath: string): void {
  try {
    try {
      linkSync(temporary, dbPath);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST") throw error;
      copyFileSync(temporary, dbPath, constants.COPYFILE_EXCL);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST")
      throw new ImportError([
        {
          file: dbPath,
          line: null,
          column: null,
          message:
            "was created by another program while the import ran: it was left untouched, and nothing was imported",
        },
      ]);
    throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** Temporary files of imports whose process is gone (killed): removed before a new import. */
function removeStaleImports(dbPath: string): void {
  const folder = dirname(dbPath);
  const prefix = `${basename(dbPath)}.import-`;
  for (const name of readdirSync(folder)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (!Number.isSafeInteger(pid) || isProcessRunning(pid)) continue;
    rmSync(join(folder, name), { force: true });
  }
}

function planFiles(dbPath: string, dir: string): Map<LegacyTable, string> {
  const fail = (message: string, file = dir): never => {
    throw new ImportError([{ file, line: null, column: null, message }]);
  };
  if (existsSync(dbPath))
    fail(`${dbPath} already exists: import builds a new database, choose another --db`, dbPath);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) fail("is not a readable directory");
  const files = new Map<LegacyTable, string>();
  for (const name of readdirSync(dir).sort()) {
    if (!name.toLowerCase().endsWith(".csv")) continue;
    const table = name.slice(0, -4);
    if (!(LEGACY_TABLES as readonly string[]).includes(table)) {
      fail(
        `is not a legacy table: name files after the tables (${LEGACY_TABLES.join(", ")})`,
        join(dir, name),
      );
    }
    files.set(table as LegacyTable, join(dir, name));
  }
  const missing = REQUIRED_FILES.filter((t) => !files.has(t));
  if (missing.length > 0)
    fail(`missing required file(s): ${missing.map((t) => `${t}.csv`).join(", ")}`);
  // Insert in the contract's table order (parents before children).
  return new Map(LEGACY_TABLES.filter((t) => files.has(t)).map((t) => [t, files.get(t)!]));
}

function tableColumns(db: Database.Database, table: string): ImportColumn[] {
  const rows = db
    .prepare('SELECT name, type, "notnull" AS nn, dflt_value AS dflt, pk FROM pragma_table_info(?)')
    .all(table) as {
    name: string;
    type: string;
    nn: number;
    dflt: string | null;
    pk: number;
  }[];
  return rows.map((r) => ({
    name: r.name,
    type: (["INTEGER", "REAL"].includes(r.type) ? r.type : "TEXT") as ImportColumn["type"],
    // An INTEGER PRIMARY KEY left empty is assigned by SQLite.
    notNull: r.nn === 1 && !(r.pk === 1 && r.type === "INTEGER"),
    hasDefault: r.dflt !== null,
    defaultValue: r.dflt === null ? null : parseDefault(r.dflt),
  }));
}

function parseDefault(literal: string): string | number {
  if (/^'.*'$/.test(literal)) return literal.slice(1, -1).replaceAll("''", "'");
  const n = Number(literal);
  return Number.isFinite(n) ? n : literal;
}

async function importTable(
  db: Database.Database,
  table: LegacyTable,
  file: string,
  problems: ImportProblem[],
  onRows: (n: number) => void,
  onEncoding: (encoding: TextEncoding) => void,
): Promise<number> {
  const name = basename(file);
  const columns = tableColumns(db, table);
  const report: ReportProblem = (line, column, message) =>
    problems.push({ file: name, line, column, message });
  let header: ImportColumn[] | null = null;
  let insert: ReturnType<Database.Database["prepare"]> | null = null;
  let count = 0;
  try {
    const { records, decimalComma } = await openRecords(file, onEncoding);
    for await (const { record, info } of records) {
      if (header === null) {
        header = resolveHeader(record, columns, (column, message) => report(1, column, message));
        if (header === null) return 0;
        insert = db.prepare(
          `INSERT INTO ${table} (${header.map((c) => c.name).join(", ")}) VALUES (${header.map(() => "?").join(", ")})`,
        );
        continue;
      }
      const values = rowValues(header, record, decimalComma, (column, message) =>
        report(info.lines, column, message),
      );
      if (problems.length >= MAX_PROBLEMS) return count;
      if (values === null) continue;
      try {
        insert!.run(values);
        count++;
        if (count % 50_000 === 0) onRows(count);
      } catch (error) {
        report(info.lines, null, (error as Error).message.replace(/^[A-Z_]+: /, ""));
        if (problems.length >= MAX_PROBLEMS) return count;
      }
    }
  } catch (error) {
    reportReadError(error, report);
    return count;
  }
  if (header === null) report(null, null, "is empty: expected a header line with the column names");
  onRows(count);
  return count;
}

type ReportProblem = (line: number | null, column: string | null, message: string) => void;

/**
 * The file's records, parsed as they are decoded. A first line with semicolons and no comma is
 * the French export: `;` between cells, a comma before decimals.
 */
async function openRecords(
  file: string,
  onEncoding: (encoding: TextEncoding) => void,
): Promise<{
  records: AsyncIterable<{ record: string[]; info: { lines: number } }>;
  decimalComma: boolean;
}> {
  const firstLine = await readFirstLine(file);
  const decimalComma = firstLine.includes(";") && !firstLine.includes(",");
  const encoding = await detectEncoding(file);
  onEncoding(encoding);
  const text = decodedText(file, encoding);
  const parser = parse({
    delimiter: decimalComma ? ";" : ",",
    bom: true,
    info: true,
    relax_column_count: false,
    skip_empty_lines: true,
  });
  // `pipe` does not pass a source's error on: an invalid byte must stop the parse.
  text.on("error", (error) => parser.destroy(error));
  text.pipe(parser);
  return { records: parser, decimalComma };
}

/** A row's values in the header's order; null, each bad cell reported, when one is invalid. */
function rowValues(
  header: readonly ImportColumn[],
  record: readonly string[],
  decimalComma: boolean,
  report: (column: string, message: string) => void,
): (string | number | null)[] | null {
  const values: (string | number | null)[] = [];
  let rowOk = true;
  header.forEach((column, i) => {
    const result = convertCell(column, record[i] ?? "", decimalComma);
    if (result.ok) values.push(result.value);
    else {
      rowOk = false;
      report(column.name, result.message);
    }
  });
  return rowOk ? values : null;
}

/** A file that could not be read or parsed to its end: the line where it stopped, if known. */
function reportReadError(error: unknown, report: ReportProblem): void {
  if (error instanceof EncodingError) {
    report(error.line, null, error.message);
    return;
  }
  const err = error as NodeJS.ErrnoException & { lines?: number };
  report(
    err.lines ?? null,
    null,
    err.code === "EACCES" ? "cannot be read (permission denied)" : err.message,
  );
}

function resolveHeader(
  names: string[],
  columns: ImportColumn[],
  report: (column: string | null, message: string) => void,
): ImportColumn[] | null {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const header: ImportColumn[] = [];
  let ok = true;
  const seen = new Set<string>();
  for (const raw of names) {
    const name = raw.trim();
    const column = byName.get(name);
    if (!column) {
      report(name, `unknown column (expected some of: ${columns.map((c) => c.name).join(", ")})`);
      ok = false;
    } else if (seen.has(name)) {
      report(name, "column appears twice in the header");
      ok = false;
    } else {
      header.push(column);
      seen.add(name);
    }
  }
  for (const column of columns) {
    if (column.notNull && !column.hasDefault && !seen.has(column.name)) {
      report(column.name, "required column missing from the header");
      ok = false;
    }
  }
  return ok ? header : null;
}

async function readFirstLine(file: string): Promise<string> {
  const stream = createReadStream(file, { encoding: "utf8", start: 0, end: 4095 });
  let text = "";
  for await (const chunk of stream) text += chunk;
  return text.split(/\r?\n/)[0] ?? "";
}

function findOrphans(db: Database.Database): ImportSummary["orphans"] {
  const rows = db.prepare("PRAGMA foreign_key_check").all() as { table: string; parent: string }[];
  const counts = new Map<string, { table: string; parent: string; rows: number }>();
  for (const row of rows) {
    const key = `${row.table}->${row.parent}`;
    const entry = counts.get(key) ?? { table: row.table, parent: row.parent, rows: 0 };
    entry.rows++;
    counts.set(key, entry);
  }
  return [...counts.values()];
}
