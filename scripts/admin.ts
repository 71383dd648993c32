// `npm run admin -- <command>`: what an operator does on the server's host when the admin console
// cannot help (issue 11). Same environment as the server (DATABASE_URL, the audit keys; `.env`
// is read as by `npm start`); every command is audited with the command as the actor.
// docs/operations.md ("Operator commands") says when to use which.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { loadConfig } from '../src/config.ts';
import { migrateToLatest, openDatabase } from '../src/db/database.ts';
import { loadAuditKeys } from '../src/audit/keys.ts';
import { systemClock } from '../src/shared/clock.ts';
import { createServices, type Services } from '../src/services.ts';
import { AppError } from '../src/shared/errors.ts';
import {
  createSuperadmin,
  describeUser,
  enablePasswordLogin,
  endAllImpersonations,
  recordOperatorEvent,
  resetPassword,
  rotateKeys,
  unlock,
} from '../src/ops/operator.ts';
import { backupSqlite } from '../src/ops/backup.ts';

const usage = `usage: npm run admin -- <command> [arguments]

  create-superadmin --email ADDRESS [--username NAME] [--first-name F] [--last-name L]
                          a new superadmin with a generated password, printed once
  reset-password USER     a new generated password, printed once; ends the user's sessions
  unlock USER             lifts a lockout (failed sign-in attempts)
  enable-password-login   turns password sign-in on again (when every login service fails)
  end-impersonations      ends every active impersonation ("end now" for all)
  rotate-keys             a new signing key for the apps signing in through Behalf
  audit-verify [...]      checks the audit trail (the options of npm run audit:verify)
  audit-export [...]      exports the audit trail (the options of npm run audit:export)
  backup FILE             an online copy of the SQLite database into FILE (server may run)

USER is a user's ID, username or e-mail address. Exit codes: 0 done, 1 refused or failed
(audit-verify: tampering found), 2 wrong usage or could not run.`;

const root = fileURLToPath(new URL('..', import.meta.url));

class Usage extends Error {}

/** The server's services on the server's database, with the server's audit keys (never new ones). */
async function withServices<T>(work: (services: Services) => Promise<T>): Promise<T> {
  const config = loadConfig();
  // A command run without the server's keys would otherwise make new ones, and every event it
  // writes would fail verification (bad_mac).
  loadAuditKeys(
    { hmacKey: config.auditHmacKey, signingKey: config.auditSigningKey, keyDir: config.auditKeyDir },
    { create: false },
  );
  const database = await openDatabase(config.databaseUrl);
  try {
    await database.exclusive('migrate', () => migrateToLatest(database));
    const services = createServices(config, database, systemClock, {
      logger: pino({ level: 'silent' }),
    });
    return await work(services);
  } finally {
    await database.close();
  }
}

/** Runs one of the existing scripts with the given arguments; its exit code. */
function runScript(script: string, args: string[]): number {
  const result = spawnSync(process.execPath, [`${root}scripts/${script}`, ...args], { stdio: 'inherit' });
  return result.status ?? 2;
}

/** Shown once: single quotes keep a shell from reading the password's symbols ($, !, &). */
function printPassword(password: string): void {
  console.log(`Password (shown only now; the quotes are not part of it): '${password}'`);
}

function oneUser(args: string[]): string {
  if (args.length !== 1 || !args[0]) throw new Usage('name one user: ID, username or e-mail address');
  return args[0];
}

async function run(command: string | undefined, args: string[]): Promise<number> {
  switch (command) {
    case 'create-superadmin': {
      const { values } = parseArgs({
        args,
        options: {
          email: { type: 'string' },
          username: { type: 'string' },
          'first-name': { type: 'string', default: 'Super' },
          'last-name': { type: 'string', default: 'Admin' },
        },
      });
      if (!values.email) throw new Usage('--email is required');
      const email = values.email;
      const { user, password } = await withServices((s) =>
        createSuperadmin(s, {
          email,
          username: values.username,
          firstName: values['first-name'],
          lastName: values['last-name'],
        }),
      );
      console.log(`created superadmin ${describeUser(user)}`);
      printPassword(password);
      return 0;
    }
    case 'reset-password': {
      const who = oneUser(args);
      const { user, password } = await withServices((s) => resetPassword(s, who));
      console.log(`new password for ${describeUser(user)}; their sessions have ended`);
      printPassword(password);
      return 0;
    }
    case 'unlock': {
      const who = oneUser(args);
      const { user, wasLocked } = await withServices((s) => unlock(s, who));
      console.log(
        `${wasLocked ? 'unlocked' : 'was not locked; failed attempts reset for'} ${describeUser(user)}`,
      );
      return 0;
    }
    case 'enable-password-login': {
      const { changed } = await withServices((s) => enablePasswordLogin(s));
      console.log(changed ? 'password sign-in is on again' : 'password sign-in was on already');
      return 0;
    }
    case 'end-impersonations': {
      const ended = await withServices((s) => endAllImpersonations(s));
      console.log(`ended ${ended} impersonation(s)`);
      return 0;
    }
    case 'rotate-keys': {
      const { kid, published } = await withServices((s) => rotateKeys(s));
      console.log(
        `new signing key ${kid}; ${published} key(s) published. Restart the server to sign with it.`,
      );
      return 0;
    }
    case 'audit-verify': {
      const code = runScript('audit-verify.ts', args);
      // An export checked offline touches no database: nothing to record there.
      if (!args.includes('--export') && code !== 2) {
        await withServices((s) =>
          recordOperatorEvent(s, 'audit-verify', 'operator.audit_verified', { intact: code === 0 }),
        );
      }
      return code;
    }
    case 'audit-export': {
      const code = runScript('audit-export.ts', args);
      if (code === 0) {
        const out = parseArgs({ args, options: { out: { type: 'string' } }, strict: false }).values.out;
        await withServices((s) =>
          recordOperatorEvent(s, 'audit-export', 'operator.audit_exported', {
            to: typeof out === 'string' ? out : 'standard output',
          }),
        );
      }
      return code;
    }
    case 'backup': {
      const file = args.length === 1 ? args[0] : undefined;
      if (!file) throw new Usage('name the file to write the backup to');
      const { pages } = await backupSqlite(loadConfig().databaseUrl, file);
      await withServices((s) => recordOperatorEvent(s, 'backup', 'operator.backup_created', { file, pages }));
      console.log(`backed up the database to ${file} (${pages} pages); keep the audit keys apart from it`);
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
      console.log(usage);
      return command === undefined ? 2 : 0;
    default:
      throw new Usage(`unknown command ${command}`);
  }
}

const [command, ...args] = process.argv.slice(2);
try {
  process.exitCode = await run(command, args);
} catch (error) {
  if (error instanceof Usage) {
    console.error(`admin: ${error.message}\n\n${usage}`);
    process.exitCode = 2;
  } else if (error instanceof AppError) {
    // Refused by a rule (unknown user, address taken, last superadmin, ...).
    console.error(`admin ${command}: ${error.message}`);
    process.exitCode = 1;
  } else {
    console.error(`admin ${command}: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  }
}
