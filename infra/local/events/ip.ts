import { invalidPattern } from './errors.js';

/**
 * IP addresses and CIDR blocks for event patterns, as event-ruler's `CIDR` class (which
 * EventBridge runs) reads them:
 * - only text shaped like `d+.d+.d+.d+` or made of hex digits and colons (with at least one colon)
 *   is an IP address; IPv4-in-IPv6 tails (`::ffff:10.0.0.1`) are not;
 * - a `cidr` block is the range from the address *as written* to that address with all host bits
 *   set — the address is not masked first, so `10.0.0.5/24` covers 10.0.0.5 to 10.0.0.255;
 * - mask bits must be below 32 (IPv4) or 128 (IPv6).
 */

/** An IPv4 (4 bytes) or IPv6 (16 bytes) address. */
export type IpBytes = Uint8Array;

const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

function parseIpv4(text: string): IpBytes | undefined {
  const parts = text.split('.').map(Number);
  return parts.every((p) => p <= 255) ? Uint8Array.from(parts) : undefined;
}

function parseIpv6(text: string): IpBytes | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const pieces = s.split(':');
    return pieces.every((p) => /^[0-9a-fA-F]{1,4}$/.test(p)) ? pieces.map((p) => parseInt(p, 16)) : undefined;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const bytes = new Uint8Array(16);
  [...head, ...new Array<number>(missing).fill(0), ...tail].forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

type IpParse = { bytes: IpBytes } | { error: 'nonstandard' | 'invalid' };

function readIp(text: string): IpParse {
  const v4 = IPV4_SHAPE.test(text);
  if (!v4 && !IPV6_SHAPE.test(text)) return { error: 'nonstandard' };
  const bytes = v4 ? parseIpv4(text) : parseIpv6(text);
  return bytes ? { bytes } : { error: 'invalid' };
}

/** The address a string spells, or `undefined` when it is not an IP address literal. */
export function parseIp(text: string): IpBytes | undefined {
  const read = readIp(text);
  return 'bytes' in read ? read.bytes : undefined;
}

/** An inclusive range of addresses of one family. */
export interface IpRange {
  bottom: IpBytes;
  top: IpBytes;
}

/**
 * Parses the operand of a `cidr` operator.
 * @throws EventBridgeError `InvalidEventPatternException` with event-ruler's reason.
 */
export function parseCidr(text: string): IpRange {
  // Java's String.split drops trailing empty strings: "10.0.0.0/" has one part.
  const parts = text.split('/');
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length !== 2) throw invalidPattern("Malformed CIDR, one '/' required");
  if (!/^[+-]?\d+$/.test(parts[1]) || !Number.isSafeInteger(Number(parts[1]))) throw invalidPattern('Malformed CIDR, mask bits must be an integer');
  const maskBits = Number(parts[1]);
  if (maskBits < 0) throw invalidPattern('Malformed CIDR, mask bits must not be negative');
  const read = readIp(parts[0]);
  if ('error' in read) throw invalidPattern(`${read.error === 'invalid' ? 'Invalid' : 'Nonstandard'} IP address: ${parts[0]}`);
  const bottom = read.bytes;
  if (bottom.length === 4 && maskBits > 31) throw invalidPattern('IPv4 mask bits must be < 32');
  if (bottom.length === 16 && maskBits > 127) throw invalidPattern('IPv6 mask bits must be < 128');
  const top = bottom.map((byte, i) => {
    const hostBits = Math.min(8, Math.max(0, (i + 1) * 8 - maskBits));
    return byte | ((1 << hostBits) - 1);
  });
  return { bottom, top };
}

/** Byte-wise comparison of two addresses of the same length. */
function compare(a: IpBytes, b: IpBytes): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** True when `address` lies in `range` (same family, bottom ≤ address ≤ top). */
export function inRange(range: IpRange, address: IpBytes): boolean {
  return address.length === range.bottom.length && compare(address, range.bottom) >= 0 && compare(address, range.top) <= 0;
}

/** True when both addresses are the same (same family, same bytes). */
export function sameIp(a: IpBytes, b: IpBytes): boolean {
  return a.length === b.length && compare(a, b) === 0;
}
