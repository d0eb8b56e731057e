import { invalidPattern } from './errors.js';

/**
 * The `wildcard` operator: `*` matches any run of characters (also none); `\*` is a literal
 * asterisk and `\\` a literal backslash. Two consecutive `*` and any other escape are rejected
 * (event-ruler WildcardParser; AWS "Wildcard matching" section). Like event-ruler, the position
 * in the message counts UTF-8 bytes of the value with its opening quote.
 */
export function compileWildcard(pattern: string): (value: string) => boolean {
  const at = (i: number) => Buffer.byteLength(pattern.slice(0, i)) + 1;
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      if (pattern[i + 1] === '*') throw invalidPattern(`Consecutive wildcard characters at pos ${at(i)}`);
      source += '[\\s\\S]*';
    } else if (c === '\\') {
      const next = pattern[i + 1];
      if (next !== '*' && next !== '\\') throw invalidPattern(`Invalid escape character at pos ${at(i)}`);
      source += escapeRegExp(next);
      i++;
    } else {
      source += escapeRegExp(c);
    }
  }
  const regex = new RegExp(`^${source}$`, 'u');
  return (value) => regex.test(value);
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
