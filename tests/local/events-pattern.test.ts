import { describe, expect, it } from 'vitest';
import { compilePattern, matchesPattern, validatePattern } from '../../infra/local/events/index.js';

/**
 * Pattern rules beyond the shared conformance cases. Sources: AWS user guide "Content filtering
 * in Amazon EventBridge event patterns" / "Comparison operators for use in event patterns"
 * (cited per test), and the aws/event-ruler README and JsonRuleCompiler (which EventBridge
 * patterns follow) for what is rejected.
 */

const rejects = (pattern: unknown) =>
  expect(() => validatePattern(pattern)).toThrow(expect.objectContaining({ name: 'InvalidEventPatternException' }));

describe('validatePattern rejects what EventBridge rejects', () => {
  it.each([
    ['a non-object pattern', '["source"]'],
    ['an empty pattern', {}],
    ['a leaf value that is not an array', { source: 'aws.ec2' }],
    ['an empty leaf array', { source: [] }],
    ['a nested array as a match value', { source: [['a']] }],
    ['an unknown operator', { source: [{ 'starts-with': 'a' }] }],
    ['two keys in one match expression', { source: [{ prefix: 'a', suffix: 'b' }] }],
    ['a numeric value given as a string', { n: [{ numeric: ['>', '5'] }] }],
    ['an unknown numeric operator', { n: [{ numeric: ['!=', 5] }] }],
    ['a numeric range whose bottom is not below its top', { n: [{ numeric: ['>', 10, '<', 5] }] }],
    ['a numeric range starting with an upper bound', { n: [{ numeric: ['<', 10, '>', 5] }] }],
    ['a numeric value beyond 5.0e9', { n: [{ numeric: ['<', 6e9] }] }],
    ['a malformed cidr', { ip: [{ cidr: '10.0.0.0/33' }] }],
    ['a cidr without prefix length', { ip: [{ cidr: '10.0.0.1' }] }],
    ['consecutive wildcard characters', { f: [{ wildcard: 'a**b' }] }],
    ['an invalid wildcard escape', { f: [{ wildcard: 'a\\b' }] }],
    ['exists with a non-boolean', { f: [{ exists: 'true' }] }],
    ['anything-but with mixed strings and numbers', { f: [{ 'anything-but': ['a', 1] }] }],
    ['anything-but with an empty prefix', { f: [{ 'anything-but': { prefix: '' } }] }],
    ['anything-but with an unsupported operator', { f: [{ 'anything-but': { numeric: ['>', 1] } }] }],
    ['$or with a single branch', { $or: [{ a: ['1'] }] }],
    ['$or with a non-object branch', { $or: [{ a: ['1'] }, 'b'] }],
    ['an operator name used as a field inside $or', { $or: [{ prefix: ['1'] }, { b: ['2'] }] }],
  ])('rejects %s', (_what, pattern) => rejects(pattern));

  it('accepts every operator in its documented forms', () => {
    expect(() =>
      validatePattern({
        a: ['x', 1, true, null, { prefix: 'p' }, { prefix: { 'equals-ignore-case': 'P' } }, { suffix: { 'equals-ignore-case': '.PNG' } }],
        b: [{ 'anything-but': ['x', 'y'] }, { 'anything-but': { 'equals-ignore-case': ['X'] } }, { 'anything-but': { wildcard: ['*/lib/*', '*.tmp'] } }],
        c: [{ numeric: ['>=', 0, '<', 10] }, { numeric: ['=', 3.018e2] }, { exists: true }],
        d: [{ cidr: '2001:db8::/32' }, { 'equals-ignore-case': 'Q' }, { wildcard: 'a\\*b\\\\*' }],
        $or: [{ e: ['1'] }, { f: { g: ['2'] } }],
      }),
    ).not.toThrow();
  });
});

/**
 * PutRule answers `Event pattern is not valid. Reason: <reason>`, the reason being event-ruler's
 * compiler message. Expected reasons: recorded from AWS in localstack/localstack
 * tests/aws/services/events/test_events_patterns.snapshot.json (its AWS-validated TestEventPattern
 * snapshots), the rest from event-ruler JsonRuleCompiler / CIDR / Range / WildcardParser.
 */
describe('validatePattern gives the reason AWS gives', () => {
  const reason = (pattern: unknown) => {
    try {
      validatePattern(pattern);
    } catch (error) {
      return (error as Error).message.replace('Event pattern is not valid. Reason: ', '');
    }
    return 'accepted';
  };

  it.each([
    // recorded from AWS
    ['{"int": 42}', '"int" must be an object or an array'],
    ['{"string": "my-value"}', '"string" must be an object or an array'],
    ['{"resources": []}', 'Empty arrays are not allowed'],
    ['{"detail": {"equal": [{"NUMERIC": ["=", 5]}]}}', 'Unrecognized match type NUMERIC'],
    ['{"my_key": [{"EXISTS": true}]}', 'Unrecognized match type EXISTS'],
    ['{"detail": {"c-count": [{"numeric": [">", 0, ">", 0]}]}}', 'Bad numeric range operator: >'],
    ['{"detail": {"c-count": [{"numeric": [">", 0, "<"]}]}}', 'Value of < must be numeric'],
    ['{"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:**:event-bus/*"}]}', 'Consecutive wildcard characters at pos 26'],
    ['{"EventBusArn": [{"wildcard": 123}]}', 'wildcard match pattern must be a string'],
    ['{"EventBusArn": [{"wildcard": ["a*"]}]}', 'wildcard match pattern must be a string'],
    ['{"detail-type": [{"equals-ignore-case": ["ec2"]}]}', 'equals-ignore-case match pattern must be a string'],
    ['{"detail-type": [{"equals-ignore-case": {"prefix": "ec2"}}]}', 'equals-ignore-case match pattern must be a string'],
    ['{"detail": {"state": [{"anything-but": {"equals-ignore-case": 123}}]}}', 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.'],
    ['{"detail": {"state": [{"anything-but": {"equals-ignore-case": [123, 456]}}]}}', 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.'],
    ['{"detail": {"state": [{"anything-but": {"wildcard": [123, "*/dir/*"]}}]}}', 'wildcard match pattern must be a string'],
    ['{"detail": {"state": [{"anything-but": {"prefix": 123}}]}}', 'prefix/suffix match pattern must be a string'],
    ['{"detail": {"FileName": [{"anything-but": {"suffix": [123, ".txt"]}}]}}', 'prefix/suffix match pattern must be a string'],
    ['{"detail": {"FileName": [{"anything-but": {"prefix": {"equals-ignore-case": "file"}}}]}}', 'Value of anything-but must be an array or single string/number value.'],
    ['{"time": [{"prefix": ["2022-07-13"]}]}', 'prefix match pattern must be a string'],
    ['{"time": [{"prefix": 123}]}', 'prefix match pattern must be a string'],
    ['{"FileName": [{"suffix": [".png"]}]}', 'suffix match pattern must be a string'],
    ['{"ip": [{"cidr": "10.0.0.1"}]}', "Malformed CIDR, one '/' required"],
    ['{"ip": [{"cidr": "10.0.0.0/xx"}]}', 'Malformed CIDR, mask bits must be an integer'],
    ['{"ip": [{"cidr": "xx.11.xx/24"}]}', 'Nonstandard IP address: xx.11.xx'],
    ['{"ip": [{"cidr": "xxxx:db8:1234:1a00::/64"}]}', 'Nonstandard IP address: xxxx:db8:1234:1a00::'],
    ['{"ip": [{"cidr": ["bad-type"]}]}', 'prefix match pattern must be a string'],
    ['["not", "a", "dict"]', 'Filter is not an object'],
    ['this is valid json but not a dict', "Unrecognized token 'this': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"],
    ["{'bad': 'quotation'}", "Unexpected character (''' (code 39)): was expecting double-quote to start field name"],
    // event-ruler's other checks
    ['{}', 'Empty objects are not allowed'],
    ['{"a": [["x"]]}', 'Match value must be String, number, true, false, or null'],
    ['{"a": [{}]}', 'Match expression name not found'],
    ['{"a": [{"prefix": "x", "suffix": "y"}]}', 'Only one key allowed in match expression'],
    ['{"a": [{"numeric": ["=", 1, 2]}]}', 'Too many elements in numeric expression'],
    ['{"a": [{"numeric": [">", 1, "<", 2, 3]}]}', 'Too many terms in numeric range expression'],
    ['{"a": [{"numeric": [">", 10, "<", 5]}]}', 'Bottom must be less than top'],
    ['{"a": [{"numeric": ["!=", 5]}]}', 'Unrecognized numeric range operator: !='],
    ['{"a": [{"numeric": [5]}]}', 'Invalid member in numeric match: 5'],
    ['{"a": [{"numeric": ["<", 6e9]}]}', 'Value must be between -5.0E9 and 5.0E9, inclusive'],
    ['{"a": [{"anything-but": ["x", 1]}]}', 'Inside anything but list, either all values are number or string, mixed type is not supported'],
    ['{"a": [{"anything-but": [null]}]}', 'Inside anything but list, start|null|boolean is not supported.'],
    ['{"a": [{"anything-but": {"prefix": ""}}]}', 'Null prefix/suffix not allowed'],
    ['{"a": [{"anything-but": {"numeric": [">", 1]}}]}', 'Unsupported anything-but pattern: numeric'],
    ['{"a": [{"exists": "true"}]}', 'exists match pattern must be either true or false.'],
    [String.raw`{"a": [{"wildcard": "a\\\\b\\x"}]}`, 'Invalid escape character at pos 5'],
    ['{"ip": [{"cidr": "10.0.0.0/32"}]}', 'IPv4 mask bits must be < 32'],
    ['{"ip": [{"cidr": "2001:db8::/128"}]}', 'IPv6 mask bits must be < 128'],
    ['{"ip": [{"cidr": "10.0.0.256/8"}]}', 'Invalid IP address: 10.0.0.256'],
  ])('%s → %s', (pattern, expected) => {
    expect(reason(pattern)).toBe(expected);
  });

  it('compiles a refused $or rule again with "$or" as a field name, as event-ruler does (its error is the one reported)', () => {
    expect(reason('{"$or": [{"a": ["1"]}]}')).toBe('Unrecognized match type a');
    expect(reason('{"$or": [{"prefix": "x"}]}')).toBe('accepted');
    expect(matchesPattern('{"$or": [{"prefix": "x"}]}', { $or: 'xyz' })).toBe(true);
  });
});

describe('matchesPattern semantics', () => {
  it('reads a cidr block from the address as written to its last host address, as event-ruler does (CIDR.cidr does not mask)', () => {
    expect(matchesPattern({ ip: [{ cidr: '10.0.0.5/24' }] }, { ip: '10.0.0.200' })).toBe(true);
    expect(matchesPattern({ ip: [{ cidr: '10.0.0.5/24' }] }, { ip: '10.0.0.3' })).toBe(false);
    expect(matchesPattern({ ip: ['10.0.0.1'] }, { ip: '010.0.0.001' })).toBe(true);
  });

  it('compares numbers by value and never matches a string against a number (content filtering: numeric matching)', () => {
    expect(matchesPattern({ n: [300] }, { n: 3.0e2 })).toBe(true);
    expect(matchesPattern({ n: [300] }, { n: '300' })).toBe(false);
    expect(matchesPattern({ n: ['300'] }, { n: 300 })).toBe(false);
    expect(matchesPattern({ n: [{ numeric: ['>=', 0] }] }, { n: '1' })).toBe(false);
  });

  it('distinguishes null, empty string and a missing field (content filtering: null values and empty strings)', () => {
    const pattern = { v: [null] };
    expect(matchesPattern(pattern, { v: null })).toBe(true);
    expect(matchesPattern(pattern, { v: '' })).toBe(false);
    expect(matchesPattern(pattern, {})).toBe(false);
    expect(matchesPattern({ v: [''] }, { v: null })).toBe(false);
    expect(matchesPattern({ v: [{ exists: true }] }, { v: null })).toBe(true);
  });

  it('treats a field holding an object as absent for exists (exists matching only works on leaf nodes)', () => {
    expect(matchesPattern({ detail: { 'c-count': [{ exists: false }] } }, { detail: { 'c-count': { c1: 100 } } })).toBe(true);
    expect(matchesPattern({ detail: { 'c-count': [{ exists: true }] } }, { detail: { 'c-count': { c1: 100 } } })).toBe(false);
    expect(matchesPattern({ detail: { x: [{ exists: false }] } }, {})).toBe(true);
  });

  it('matches cidr blocks for IPv4 and IPv6 (comparison operators: IP address matching)', () => {
    expect(matchesPattern({ ip: [{ cidr: '10.0.0.0/24' }] }, { ip: '10.0.1.1' })).toBe(false);
    expect(matchesPattern({ ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:0db8:85a3::8a2e:370:7334' })).toBe(true);
    expect(matchesPattern({ ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:db9::1' })).toBe(false);
    expect(matchesPattern({ ip: [{ cidr: '10.0.0.0/8' }] }, { ip: ['192.168.0.1', '10.9.9.9'] })).toBe(true);
  });

  it('equals-ignore-case, prefix and suffix only match strings', () => {
    expect(matchesPattern({ s: [{ 'equals-ignore-case': 'alice' }] }, { s: 'ALICE' })).toBe(true);
    expect(matchesPattern({ s: [{ prefix: { 'equals-ignore-case': 'EventB' } }] }, { s: 'eventbridge' })).toBe(true);
    expect(matchesPattern({ s: [{ suffix: '5' }] }, { s: 5 })).toBe(false);
    expect(matchesPattern({ s: [{ wildcard: '*' }] }, { s: 5 })).toBe(false);
  });

  it('anything-but needs the field present, and excludes only values of its own kind', () => {
    expect(matchesPattern({ s: [{ 'anything-but': 'x' }] }, {})).toBe(false);
    expect(matchesPattern({ s: [{ 'anything-but': ['5'] }] }, { s: 5 })).toBe(true);
    expect(matchesPattern({ s: [{ 'anything-but': [5] }] }, { s: 5.0 })).toBe(false);
    expect(matchesPattern({ s: [{ 'anything-but': { 'equals-ignore-case': ['Stopped'] } }] }, { s: 'STOPPED' })).toBe(false);
    expect(matchesPattern({ s: [{ 'anything-but': { prefix: 'us-' } }] }, { s: 'eu-west-1' })).toBe(true);
  });

  it('matches inside nested $or (content filtering: $or matching)', () => {
    const pattern = { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization'] }, { detail: { $or: [{ a: ['1'] }, { b: ['2'] }] } }] };
    expect(matchesPattern(pattern, { source: 'aws.cloudwatch', detail: { b: '2' } })).toBe(true);
    expect(matchesPattern(pattern, { source: 'aws.cloudwatch', detail: { c: '3' } })).toBe(false);
  });

  it('reads repeated keys in pattern text like EventBridge: the last leaf wins, repeated objects merge', () => {
    const lastWins = compilePattern('{"a": ["1"], "a": ["2"]}');
    expect([lastWins({ a: '1' }), lastWins({ a: '2' })]).toEqual([false, true]);
    const merged = compilePattern('{"d": {"x": ["1"]}, "d": {"y": ["2"]}}');
    expect([merged({ d: { x: '1', y: '2' } }), merged({ d: { y: '2' } })]).toEqual([true, false]);
  });
});

describe('dotted field names', () => {
  // localstack's AWS-validated dot_joining_* TestEventPattern templates; event-ruler README
  // "Compiled rules and JSON keys with dots".
  it('reads a dotted pattern key as a path into nested event objects', () => {
    expect(matchesPattern({ detail: { 'state.status': ['running'] } }, { detail: { state: { status: 'running' } } })).toBe(true);
    expect(matchesPattern({ detail: { 'state.status': { status: ['running'] } } }, { detail: { state: { status: 'running' } } })).toBe(false);
  });

  it('reads a dotted event key as a path, merged with the nested fields beside it', () => {
    expect(matchesPattern({ detail: { state: { status: ['running'] } } }, { detail: { 'state.status': 'running' } })).toBe(true);
    expect(matchesPattern({ detail: { state: { status: ['running'] } } }, { detail: { 'state.status': { status: 'running' } } })).toBe(false);
    expect(matchesPattern({ a: { x: ['1'], y: ['2'] } }, { 'a.y': '2', a: { x: '1' } })).toBe(true);
  });

  it('keeps the error messages on the names as written', () => {
    expect(() => validatePattern({ 'a.b': 'x' })).toThrow('"a.b" must be an object or an array');
  });
});
