import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import type { Command } from "commander";
import type { Db } from "../../data/open.js";
import { openOptiflowDatabase } from "../../data/optiflow/open-optiflow.js";
import {
  addUser,
  findUser,
  listUsers,
  ROLES,
  removeUser,
  setPassword,
} from "../../data/optiflow/users-repository.js";
import type { CliContext } from "../cli-context.js";
import { CliError } from "../cli-error.js";
import { printJson, printLines, printTable } from "../output.js";

/** Reads a password on the terminal without echoing it. */
async function askPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY)
    throw new CliError("no terminal to ask the password on: use --password-stdin", 2);
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, callback) {
      if (!muted) process.stderr.write(chunk);
      callback();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.question(prompt, (answer) => {
      rl.close();
      process.stderr.write("\n");
      resolve(answer);
    });
    muted = true;
  });
}

async function readStdin(): Promise<string> {
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  return text.replace(/\r?\n$/, "");
}

export function registerUsersCommands(program: Command, context: CliContext): void {
  const users = program
    .command("users")
    .description("who may open Optiflow: roles lecteur, acheteur, admin");
  registerAdd(users, context);
  registerList(users, context);
  registerRemove(users, context);
  registerPasswd(users, context);
}

function registerAdd(users: Command, context: CliContext): void {
  users
    .command("add")
    .description("create a user; the password is asked on the terminal")
    .argument("<login>", "login (a-z 0-9 . _ -)")
    .requiredOption("--role <role>", `one of ${ROLES.join(", ")}`)
    .option("--password-stdin", "read the password from standard input (scripts)")
    .option("--db <path>", "database file")
    .action(
      async (login: string, options: { role: string; passwordStdin?: boolean; db?: string }) => {
        if (!(ROLES as readonly string[]).includes(options.role))
          throw new CliError(`--role: expected one of ${ROLES.join(", ")}`, 2);
        const password = options.passwordStdin
          ? await readStdin()
          : await askPassword(`Password for ${login}: `);
        if (!options.passwordStdin && (await askPassword("Again: ")) !== password)
          throw new CliError("the two passwords differ", 2);
        const db = openOptiflowDatabase(context.config(options.db).dbPath);
        try {
          await addUser(db, login, options.role, password, context.now());
          audit(db, context, "user_added", { login, role: options.role });
        } finally {
          db.close();
        }
        printLines([`User ${login} (${options.role}) created.`]);
      },
    );
}

function registerList(users: Command, context: CliContext): void {
  users
    .command("list")
    .description("the users, their role and how many sessions they have open")
    .option("--db <path>", "database file")
    .option("--json", "print as JSON")
    .action((options: { db?: string; json?: boolean }) => {
      const db = openOptiflowDatabase(context.config(options.db).dbPath);
      try {
        const rows = listUsers(db, context.now());
        if (options.json) return printJson({ users: rows });
        printTable(rows.map((u) => ({ ...u })));
      } finally {
        db.close();
      }
    });
}

function registerRemove(users: Command, context: CliContext): void {
  users
    .command("remove")
    .description("delete a user; their open sessions end at once")
    .argument("<login>", "login")
    .option("--db <path>", "database file")
    .action((login: string, options: { db?: string }) => {
      const db = openOptiflowDatabase(context.config(options.db).dbPath);
      try {
        removeUser(db, login);
        audit(db, context, "user_removed", { login });
      } finally {
        db.close();
      }
      printLines([`User ${login} removed; their sessions are closed.`]);
    });
}

function registerPasswd(users: Command, context: CliContext): void {
  users
    .command("passwd")
    .description("set a new password; the user's open sessions end")
    .argument("<login>", "login")
    .option("--password-stdin", "read the password from standard input (scripts)")
    .option("--db <path>", "database file")
    .action(async (login: string, options: { passwordStdin?: boolean; db?: string }) => {
      const db = openOptiflowDatabase(context.config(options.db).dbPath);
      try {
        if (!findUser(db, login)) throw new CliError(`<login>: no user "${login}"`, 2);
        const password = options.passwordStdin
          ? await readStdin()
          : await askPassword(`New password for ${login}: `);
        if (!options.passwordStdin && (await askPassword("Again: ")) !== password)
          throw new CliError("the two passwords differ", 2);
        await setPassword(db, login, password);
        audit(db, context, "user_password_changed", { login });
      } finally {
        db.close();
      }
      printLines([`Password of ${login} changed; their sessions are closed.`]);
    });
}

function audit(db: Db, context: CliContext, action: string, details: unknown): void {
  db.prepare("INSERT INTO optiflow_audit (at, actor, action, details) VALUES (?, ?, ?, ?)").run(
    context.now().toISOString(),
    `cli:${process.env.USER ?? "unknown"}`,
    action,
    JSON.stringify(details),
  );
}
