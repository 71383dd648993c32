import { AppError, type FieldError } from '../shared/errors.ts';
import type { RequestContext } from '../shared/request-context.ts';

// R-IMP-04: what an administrator acting as a user may not do in the user's name. The core is
// fixed here, in code, because it is what makes acting safe: no setting can unblock it (an
// empty setting once let an acting administrator add an e-mail and enrol an authenticator). The
// setting `impersonation.blockedCapabilities` only ADDS names, for integrations (apps that learn
// the list from the session and refuse on their side). Documented in docs/impersonation.md.

export const coreCapabilities = [
  'password.change',
  'two_factor.change',
  'emails.change',
  'linked_accounts.change',
  'sessions.end',
  'payments',
  'esignature',
  'telephony',
] as const;

/** A capability this server's own routes exercise (`config: { capability }`). */
export type CoreCapability = (typeof coreCapabilities)[number];

export const capabilityDescriptions: Record<CoreCapability, string> = {
  'password.change': "change the user's password",
  'two_factor.change': 'switch two-factor sign-in on or off, enrol an authenticator',
  'emails.change': 'add, verify, remove e-mail addresses or choose the primary one',
  'linked_accounts.change': 'link or unlink accounts at external login services',
  'sessions.end': "end the user's other sessions (sign other browsers out)",
  payments: 'pay or change payment details',
  esignature: 'sign documents electronically',
  telephony: 'place calls or change telephony settings',
};

/**
 * An integration's own capability: `vendor.thing` (lower-case words, at least two, joined by
 * dots). Free names rather than a registry, because integrations are separate apps the server
 * does not enumerate; the strict shape and the reserved namespaces below keep typos from
 * passing as names that silently block nothing.
 */
export const extensionPattern = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/** First segments of the core names: an extension there is a typo of a core name, or redundant. */
export const reservedNamespaces = new Set(coreCapabilities.map((c) => c.split('.')[0]!));

export function isCoreCapability(name: string): name is CoreCapability {
  return (coreCapabilities as readonly string[]).includes(name);
}

export function isExtensionCapability(name: string): boolean {
  return name.length <= 64 && extensionPattern.test(name) && !reservedNamespaces.has(name.split('.')[0]!);
}

/** Blocked while acting: the core, always, then the setting's additions (duplicates dropped). */
export function effectiveBlockedCapabilities(setting: readonly string[]): string[] {
  return [...new Set([...coreCapabilities, ...setting])];
}

/**
 * The setting's value for a requested list: the core names are dropped (they are blocked
 * anyway, so sending the list read back is fine), the rest must be extension names, else 422
 * `unknown_capability` naming each offender. `field` is the list's path in the request body.
 */
export function settingFromRequest(requested: readonly string[], field: string): string[] {
  const errors: FieldError[] = [];
  requested.forEach((name, i) => {
    if (!isCoreCapability(name) && !isExtensionCapability(name)) {
      errors.push({
        field: `${field}.${i}`,
        message: `unknown capability '${name}': neither a core one nor an extension like vendor.thing`,
        kind: 'unknown_capability',
        params: { name },
      });
    }
  });
  if (errors.length > 0) {
    throw new AppError(
      'unknown_capability',
      `Unknown capabilities: ${errors.map((e) => e.message.split("'")[1]).join(', ')}.`,
      { fieldErrors: errors },
    );
  }
  const additions = [...new Set(requested.filter((name) => !isCoreCapability(name)))];
  if (additions.length > maxAdditions) {
    throw new AppError('validation_failed', `At most ${maxAdditions} capabilities can be added.`, {
      fieldErrors: [
        {
          field,
          message: `at most ${maxAdditions} additions to the core`,
          kind: 'too_many_additions',
          params: { maximum: maxAdditions },
        },
      ],
    });
  }
  return additions;
}

/** How many names the setting may add to the core. */
export const maxAdditions = 100;

/** R-IMP-04: refuses a capability the request's context lists as blocked (while acting). */
export function assertCapability(ctx: RequestContext, capability: CoreCapability): void {
  if (ctx.blockedCapabilities.includes(capability)) {
    throw new AppError(
      'blocked_during_impersonation',
      `This is not available while acting as another user (${capability}).`,
      { extra: { capability } },
    );
  }
}
