import { domainToASCII } from 'node:url';

// Pure: what a domain's host name may be. The session of an impersonation in a domain runs on
// this host name (R-IMP-02), so it must be a name a browser can be sent to, in one canonical
// spelling, or two domains could claim the same host under different spellings.

/** RFC 1123 label: letters, digits and inner hyphens, 1 to 63 characters. */
const label = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export type HostNameCheck = { ok: true; hostName: string } | { ok: false; message: string };

/**
 * Lower-cases, turns an internationalised name into its ASCII (punycode) form, drops one
 * trailing dot (the fully-qualified spelling of the same name), then checks every label.
 * Refuses IP addresses, ports, schemes and paths: a host name is what the domain is reached by.
 */
export function checkHostName(input: string): HostNameCheck {
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, message: 'must not be empty' };
  // domainToASCII parses like a URL host and would quietly drop a path or port: refuse
  // anything but letters (of any script), digits, hyphens and dots before it sees the input.
  if (/[^\p{L}\p{M}\p{N}.-]/u.test(trimmed)) {
    return {
      ok: false,
      message: 'may contain letters, digits, hyphens and dots only (no scheme, port or path)',
    };
  }
  let ascii = domainToASCII(trimmed);
  if (ascii === '') return { ok: false, message: 'must be a host name such as login.example.com' };
  if (ascii.endsWith('.')) ascii = ascii.slice(0, -1);
  if (ascii.length > 253) return { ok: false, message: 'must be at most 253 characters' };
  const labels = ascii.split('.');
  if (!labels.every((l) => label.test(l))) {
    return {
      ok: false,
      message:
        'must consist of labels of letters, digits and inner hyphens (1 to 63 characters), separated by dots',
    };
  }
  // An all-numeric last label makes it an IPv4 address (or a prefix of one), not a name.
  if (/^\d+$/.test(labels.at(-1)!)) return { ok: false, message: 'must be a host name, not an IP address' };
  return { ok: true, hostName: ascii };
}
