import type { Services } from '../services.ts';
import { systemContext } from '../shared/request-context.ts';
import { generatePassword, passwordViolations } from '../credentials/password-policy.ts';
import { countSuperadmins } from '../users/users.store.ts';

export interface BootstrapResult {
  created: boolean;
  email?: string;
  /** Set only when the password was generated here: the caller shows it once. */
  generatedPassword?: string;
}

/**
 * First start: without any superadmin, create "SAdmin" from BOOTSTRAP_ADMIN_EMAIL and
 * BOOTSTRAP_ADMIN_PASSWORD, or with a generated password that the caller prints once.
 * Runs under the database's start-up lock, so two instances starting together create one.
 */
export async function ensureFirstSuperadmin(services: Services): Promise<BootstrapResult> {
  return services.database.exclusive('bootstrap', async () => {
    if ((await countSuperadmins(services.database.db)) > 0) return { created: false };
    const { config } = services;
    const policy = (await services.settings.get()).passwordPolicy;
    const given = config.bootstrapAdminPassword;
    if (given !== undefined) {
      const problems = passwordViolations(policy, given);
      if (problems.length > 0) {
        throw new Error(
          `BOOTSTRAP_ADMIN_PASSWORD does not satisfy the password policy: it ${problems.join(', ')}`,
        );
      }
    }
    const password = given ?? generatePassword(policy);
    await services.users.create(
      systemContext('bootstrap'),
      {
        email: config.bootstrapAdminEmail,
        username: 'SAdmin',
        firstName: 'Super',
        lastName: 'Admin',
        gender: 'unspecified',
        language: 'en',
      },
      { role: 'superadmin', passwordHash: await services.hasher.hash(password), emailVerified: true },
    );
    return {
      created: true,
      email: config.bootstrapAdminEmail,
      ...(given === undefined ? { generatedPassword: password } : {}),
    };
  });
}
