/**
 * IP addresses and CIDR blocks for the `cidr` pattern operator (IPv4 and IPv6, as in
 * event-ruler's CIDR class): an address is a byte array, a block is an address plus a prefix length.
 */

/** An IPv4 (4 bytes) or IPv6 (16 bytes) address. */
export type IpBytes = Uint8Array;

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseIpv4(text: string): IpBytes | undefined {
  const m = IPV4.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? Uint8Array.from(parts) : undefined;
}

function parseIpv6(text: string): IpBytes | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || !text.includes(':')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    const pieces = s.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i];
      // An embedded IPv4 tail (::ffff:10.0.0.1) counts as two groups.
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (!v4) return undefined;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
        out.push(parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

/** Parses an IPv4 dotted quad or an IPv6 address; `undefined` when the text is neither. */
export function parseIp(text: string): IpBytes | undefined {
  return parseIpv4(text) ?? parseIpv6(text);
}

/** A CIDR block: the network address and how many leading bits must agree. */
export interface CidrBlock {
  network: IpBytes;
  prefixBits: number;
}

/** Parses `address/bits`; `undefined` when malformed or the prefix is out of range for the family. */
export function parseCidr(text: string): CidrBlock | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const network = parseIp(text.slice(0, slash));
  const bitsText = text.slice(slash + 1);
  if (!network || !/^\d{1,3}$/.test(bitsText)) return undefined;
  const prefixBits = Number(bitsText);
  return prefixBits <= network.length * 8 ? { network, prefixBits } : undefined;
}

/** True when `address` lies inside `block` (same family, leading `prefixBits` bits equal). */
export function cidrContains(block: CidrBlock, address: IpBytes): boolean {
  if (address.length !== block.network.length) return false;
  let bits = block.prefixBits;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((address[i] & mask) !== (block.network[i] & mask)) return false;
  }
  return true;
}

/** True when both addresses are the same (same family, same bytes). */
export function sameIp(a: IpBytes, b: IpBytes): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
