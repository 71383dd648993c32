// E-mail addresses longer than SMTP can carry (issue 7 #19). RFC 5321 section 4.5.3.1 limits
// the local part to 64 octets and a domain to 255; a path (<address> with its brackets) to 256
// octets, i.e. the address itself to 254 (RFC 3696 erratum 1690), and RFC 1035 a DNS label to
// 63. An address beyond them cannot receive mail, so it is refused wherever one enters (admin
// create and add, My Profile, the bootstrap configuration) instead of being stored.

export const emailLimits = { address: 254, localPart: 64, domain: 255, label: 63 } as const;

const octets = (s: string) => Buffer.byteLength(s, 'utf8');

/** Pure: why the address is too long for SMTP, or null. Counts UTF-8 octets, not characters. */
export function emailLengthProblem(address: string): string | null {
  const at = address.lastIndexOf('@');
  const local = at < 0 ? address : address.slice(0, at);
  const domain = at < 0 ? '' : address.slice(at + 1);
  if (octets(local) > emailLimits.localPart) {
    return `the part before @ must be at most ${emailLimits.localPart} octets`;
  }
  if (octets(domain) > emailLimits.domain) return `the domain must be at most ${emailLimits.domain} octets`;
  if (domain.split('.').some((label) => octets(label) > emailLimits.label)) {
    return `each part of the domain must be at most ${emailLimits.label} octets`;
  }
  if (octets(address) > emailLimits.address) return `must be at most ${emailLimits.address} octets`;
  return null;
}
