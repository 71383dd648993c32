import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import type { Clock } from './shared/clock.ts';
import { createHooks, type DomainHooks } from './shared/hooks.ts';
import { PasswordHasher } from './credentials/password-hasher.ts';
import { SettingsService } from './settings/settings.service.ts';
import { SessionService } from './sessions/sessions.service.ts';
import { LoginService } from './auth/login.service.ts';
import { SecondFactorService } from './auth/second-factor.service.ts';
import { UsersService } from './users/users.service.ts';
import { EmailsService } from './users/emails.service.ts';

/** Everything the routes need, built once per process (or per test server). */
export interface Services {
  config: Config;
  database: Database;
  clock: Clock;
  hooks: DomainHooks;
  hasher: PasswordHasher;
  settings: SettingsService;
  sessions: SessionService;
  login: LoginService;
  secondFactor: SecondFactorService;
  users: UsersService;
  emails: EmailsService;
}

export function createServices(config: Config, database: Database, clock: Clock): Services {
  const hooks = createHooks();
  const hasher = new PasswordHasher(config.hashConcurrency, config.hashQueueLimit);
  const settings = new SettingsService(database, clock);
  const sessions = new SessionService(database, clock, settings);
  const login = new LoginService({ database, clock, hasher, settings, sessions });
  const secondFactor = new SecondFactorService({ config, database, clock, settings, login });
  const users = new UsersService({ database, clock, settings, sessions, hooks });
  const emails = new EmailsService({ users, clock });
  return { config, database, clock, hooks, hasher, settings, sessions, login, secondFactor, users, emails };
}
