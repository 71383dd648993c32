import { z } from 'zod';
import { actorKinds, impersonationModes } from '../impersonation/mode.ts';
import { approvalSettings, defaultApprovalSettings } from '../impersonation/approval-rule.ts';
import {
  coreCapabilities,
  effectiveBlockedCapabilities,
  maxAdditions,
  settingFromRequest,
} from '../permissions/capabilities.ts';

// The application settings an administrator changes at run time (stored in the database, so
// every instance sees the same). Each section has defaults, so a fresh platform works at once.

export const lockoutSettings = z
  .object({
    /** Wrong passwords or second-factor codes in a row before the account locks (R-ADM-14). */
    threshold: z.number().int().min(1).max(100),
    /** How long a lock lasts. */
    durationSeconds: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 3600),
  })
  .strict();

export const sessionSettings = z
  .object({
    /** A session unused this long ends. */
    idleTimeoutMinutes: z
      .number()
      .int()
      .min(1)
      .max(30 * 24 * 60),
    /** A session ends this long after login, used or not. */
    absoluteTimeoutHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 90),
  })
  .strict();

export const passwordPolicy = z
  .object({
    minLength: z.number().int().min(8).max(128),
    requireLowercase: z.boolean(),
    requireUppercase: z.boolean(),
    requireDigit: z.boolean(),
    requireSymbol: z.boolean(),
  })
  .strict();

export const loginSettings = z
  .object({
    /** R-ADM-17: password login can be switched off (then only linked accounts log in). */
    passwordLoginEnabled: z.boolean(),
  })
  .strict();

/**
 * A stored capability name: lower-case words joined by dots. Looser than what a change accepts
 * (permissions/capabilities.ts), so that a name stored by an older version stays blocked until
 * an administrator edits the list, instead of being dropped (which would unblock it).
 */
export const capabilityName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/, 'must be lower-case words joined by dots');

export const impersonationSettings = z
  .object({
    /** R-IMP-11: the actor must state a reason. */
    reasonRequired: z.boolean(),
    /** R-IMP-10: the longest an impersonation may last. */
    maxDurationMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
    /**
     * R-IMP-04: what stays blocked while acting: always the core capabilities, then the names
     * integrations add. Read-back lists the core too; a change only adds (see applySettingsPatch).
     */
    blockedCapabilities: z.array(capabilityName).max(maxAdditions + coreCapabilities.length),
    /** Issue 12 #2: the mode a start gets when the actor does not pick one. */
    defaultMode: z.enum(impersonationModes),
    /** Issue 12 #2: who may start in 'act' mode; everyone else may only look ('read-only'). */
    actAllowedFor: z.array(z.enum(actorKinds)).max(actorKinds.length),
    /** Issue 12 #5: the actor's password or code proven within this many minutes; 0: off. */
    stepUpMinutes: z
      .number()
      .int()
      .min(0)
      .max(24 * 60),
  })
  .strict();

export const notificationSettings = z
  .object({
    /** R-IMP-09: the platform's notifications; impersonation requires them on. */
    enabled: z.boolean(),
    /** Whether notifications also go out by e-mail (to users with an address). */
    emailEnabled: z.boolean(),
  })
  .strict();

export const settingsDocument = z
  .object({
    lockout: lockoutSettings,
    sessions: sessionSettings,
    passwordPolicy,
    login: loginSettings,
    impersonation: impersonationSettings,
    notifications: notificationSettings,
    approval: approvalSettings,
  })
  .strict();

export type Settings = z.infer<typeof settingsDocument>;
export type PasswordPolicy = z.infer<typeof passwordPolicy>;

export const defaultSettings: Settings = {
  lockout: { threshold: 5, durationSeconds: 900 },
  sessions: { idleTimeoutMinutes: 60, absoluteTimeoutHours: 12 },
  passwordPolicy: {
    minLength: 12,
    requireLowercase: true,
    requireUppercase: true,
    requireDigit: true,
    requireSymbol: false,
  },
  login: { passwordLoginEnabled: true },
  impersonation: {
    reasonRequired: true,
    maxDurationMinutes: 60,
    blockedCapabilities: [...coreCapabilities],
    defaultMode: 'act',
    actAllowedFor: [...actorKinds],
    stepUpMinutes: 0,
  },
  notifications: { enabled: true, emailEnabled: true },
  approval: defaultApprovalSettings,
};

/** PATCH body: any section, any field of it; unknown names are an error, not ignored. */
export const settingsPatch = z
  .object({
    lockout: lockoutSettings.partial().strict(),
    sessions: sessionSettings.partial().strict(),
    passwordPolicy: passwordPolicy.partial().strict(),
    login: loginSettings.partial().strict(),
    // Names are checked by the catalogue (422 `unknown_capability`), not by a pattern here.
    impersonation: impersonationSettings
      .extend({
        blockedCapabilities: z
          .array(z.string().max(64))
          .max(maxAdditions + coreCapabilities.length)
          .describe('Core capabilities are always blocked; this list adds names like `vendor.thing`'),
      })
      .partial()
      .strict(),
    notifications: notificationSettings.partial().strict(),
    approval: approvalSettings.partial().strict(),
  })
  .partial()
  .strict();

export type SettingsPatch = z.infer<typeof settingsPatch>;

/** Pure: applies a patch section by section. */
export function applySettingsPatch(current: Settings, patch: SettingsPatch): Settings {
  const next: Record<string, unknown> = { ...current };
  for (const [section, values] of Object.entries(patch)) {
    if (values) next[section] = { ...(current as Record<string, object>)[section], ...values };
  }
  const requested = patch.impersonation?.blockedCapabilities;
  if (requested !== undefined) {
    // R-IMP-04: the setting only adds to the core; `[]` leaves the core blocked. The core is
    // stored too, so that an older instance reading this document still blocks it.
    next.impersonation = {
      ...(next.impersonation as object),
      blockedCapabilities: effectiveBlockedCapabilities(
        settingFromRequest(requested, 'impersonation.blockedCapabilities'),
      ),
    };
  }
  return settingsDocument.parse(next);
}

/**
 * Pure: reads a stored document, filling sections and fields added since it was written from
 * the defaults, so that adding a setting needs no data migration. Field by field: a stored value
 * this version does not know (written by a newer instance during a rolling upgrade) is dropped,
 * and one it cannot accept falls back to its default alone, so that one odd field never resets
 * every other setting (a switched-off password login, a stricter lockout) to its default.
 */
export function readSettingsDocument(stored: unknown): Settings {
  const doc = asRecord(stored);
  const merged: Record<string, Record<string, unknown>> = {};
  for (const [section, defaults] of Object.entries(defaultSettings) as [keyof Settings, object][]) {
    const storedSection = asRecord(doc[section]);
    const fields = (settingsDocument.shape[section] as z.ZodObject).shape as Record<string, z.ZodType>;
    const values: Record<string, unknown> = {};
    for (const [field, fallback] of Object.entries(defaults)) {
      const parsed = field in storedSection ? fields[field]!.safeParse(storedSection[field]) : null;
      values[field] = parsed?.success ? parsed.data : fallback;
    }
    merged[section] = values;
  }
  // A document written before a capability joined the core lacks it: the core is added here.
  const impersonation = merged.impersonation!;
  impersonation.blockedCapabilities = effectiveBlockedCapabilities(
    impersonation.blockedCapabilities as string[],
  );
  return settingsDocument.parse(merged);
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
