import { api, versioned } from './client.ts';

// The application settings (GET/PATCH /api/v1/admin/settings): reading needs settings.read,
// changing settings.manage. A change carries the ETag of the read (If-Match): 412 when someone
// else saved meanwhile.

export interface Settings {
  lockout: { threshold: number; durationSeconds: number };
  sessions: { idleTimeoutMinutes: number; absoluteTimeoutHours: number };
  passwordPolicy: {
    minLength: number;
    requireLowercase: boolean;
    requireUppercase: boolean;
    requireDigit: boolean;
    requireSymbol: boolean;
  };
  login: { passwordLoginEnabled: boolean };
  impersonation: {
    reasonRequired: boolean;
    maxDurationMinutes: number;
    blockedCapabilities: string[];
    /** Issue 12 #2. */
    defaultMode: 'act' | 'read-only';
    actAllowedFor: ('system-administrators' | 'power-users')[];
    /** Issue 12 #5: minutes within which the actor proved their password or code; 0: off. */
    stepUpMinutes: number;
  };
  notifications: { enabled: boolean; emailEnabled: boolean };
  /** Issue 12 #3, #4. */
  approval: {
    consent: 'never' | 'privileged' | 'always';
    fourEyes: 'off' | 'privileged' | 'privileged-and-group';
    fourEyesGroupId: string | null;
    windowMinutes: number;
  };
}

export type SettingsPatch = { [S in keyof Settings]?: Partial<Settings[S]> };

export const readSettings = () => versioned<Settings>('GET', '/api/v1/admin/settings');

export const changeSettings = (patch: SettingsPatch, etag: string | null) =>
  versioned<Settings>('PATCH', '/api/v1/admin/settings', { body: patch, etag });

/** R-IMP-04: the capabilities always blocked while acting, and what an addition must look like. */
export interface CapabilityCatalogue {
  core: Array<{ name: string; description: string }>;
  extension: { pattern: string; reservedNamespaces: string[]; maxAdditions: number };
}

export const readCapabilityCatalogue = () =>
  api.get<CapabilityCatalogue>('/api/v1/admin/settings/capabilities');
