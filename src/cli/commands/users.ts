import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import type { Command } from "commander";
import { openOptiflowDatabase } from "../../data/optiflow/open-optiflow.js";
import { addUser, ROLES } from "../../data/optiflow/users-repository.js";
import type { CliContext } from "../cli-context.js";
import { CliError } from "../cli-error.js";
import { printLines } from "../output.js";

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
          db.prepare(
            "INSERT INTO optiflow_audit (at, actor, action, details) VALUES (?, ?, ?, ?)",
          ).run(
            context.now().toISOString(),
            process.env.USER ?? "cli",
            "user_added",
            JSON.stringify({ login, role: options.role }),
          );
        } finally {
          db.close();
        }
        printLines([`User ${login} (${options.role}) created.`]);
      },
    );
}
