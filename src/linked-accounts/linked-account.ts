import type { LinkedAccountView } from './linked-accounts.store.ts';

// Linked accounts (R-ADM-11, R-ADM-16) as clients see them, and the pure rules about them.

export const linkedVia = ['profile', 'admin', 'email', 'merge'] as const;
export type LinkedVia = (typeof linkedVia)[number];

export interface LinkedAccount {
  id: string;
  serviceId: string;
  serviceName: string;
  serviceNameDe: string | null;
  subject: string;
  email: string | null;
  linkedVia: LinkedVia;
  linkedAt: string;
  lastUsedAt: string | null;
  /** The service has a button on the sign-in page, so this link is a way to sign in (R-ADM-04). */
  usableForSignIn: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function representLink(row: LinkedAccountView): LinkedAccount {
  return {
    id: row.id,
    serviceId: row.service_id,
    serviceName: row.service_display_name,
    serviceNameDe: row.service_display_name_de,
    subject: row.subject,
    email: row.email,
    linkedVia: row.linked_via as LinkedVia,
    linkedAt: iso(Number(row.linked_at)),
    lastUsedAt: row.last_used_at === null ? null : iso(Number(row.last_used_at)),
    usableForSignIn: row.service_show_on_sign_in,
  };
}

export interface WaysIn {
  hasPassword: boolean;
  passwordLoginEnabled: boolean;
  links: readonly { id: string; shownOnSignIn: boolean }[];
}

/**
 * R-ADM-16: a user may not remove the link that is their last way to sign in. Only a link at a
 * service shown on the sign-in page is a way in; removing any other one changes nothing, so it
 * is never refused (even for a user who cannot sign in already: removal makes nothing worse).
 */
export function removalLeavesNoWayIn(ways: WaysIn, linkId: string): boolean {
  const removed = ways.links.find((l) => l.id === linkId);
  if (!removed?.shownOnSignIn) return false;
  if (ways.passwordLoginEnabled && ways.hasPassword) return false;
  return !ways.links.some((l) => l.id !== linkId && l.shownOnSignIn);
}

/**
 * R-ADM-17: password login may be switched off only while some service is shown on the sign-in
 * page and the administrator switching it still has a link at one (so they can sign in after).
 * Null when allowed, else the refusal's code.
 */
export function passwordLoginSwitchOffRefusal(
  shownServices: number,
  adminUsableLinks: number,
): 'password_login_needs_service' | 'password_login_needs_own_link' | null {
  if (shownServices === 0) return 'password_login_needs_service';
  if (adminUsableLinks === 0) return 'password_login_needs_own_link';
  return null;
}
