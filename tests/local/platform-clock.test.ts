import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { token } from '../../bin/commands/token.js';
import { LocalTokenIssuer } from '../../infra/local/auth/jwt.js';
import { platformNow, recordClockOffset, shiftedClock, startingClockOffset } from '../../infra/local/clock.js';

/**
 * `npm start` with CLEARWAY_CLOCK_START runs the platform as of another date; the tools that act
 * on it (clearway token, npm run demo -- --url) read its clock from the data directory.
 */
describe('the clock of a platform started as of another date', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clearway-clock-'));
  // The platform's key, as `npm start` makes it on its data directory.
  LocalTokenIssuer.fromDataDir(dataDir);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const DAY = 86_400_000;
  const payload = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));

  it('lets time pass from the start date at the wall clock\'s pace', async () => {
    const clock = shiftedClock(-400 * DAY);
    const before = clock.now();
    expect(Math.round((Date.now() - before) / DAY)).toBe(400);
    await clock.sleep(20);
    expect(clock.now() - before).toBeGreaterThanOrEqual(20);
  });

  it('tells the tools the platform\'s time, and the wall clock once started without a shift', () => {
    recordClockOffset(dataDir, -400 * DAY);
    expect(Math.round((Date.now() - platformNow(dataDir)) / DAY)).toBe(400);
    recordClockOffset(dataDir, 0);
    expect(Math.abs(Date.now() - platformNow(dataDir))).toBeLessThan(1000);
  });

  it('signs clearway tokens valid on the platform\'s clock', async () => {
    recordClockOffset(dataDir, -400 * DAY);
    const out: string[] = [];
    expect(await token(['--role', 'officer', '--data-dir', dataDir], { out: (text) => out.push(text) })).toBe(0);
    const { nbf, exp } = payload(out[0]);
    expect(Math.round((Date.now() / 1000 - nbf) / 86_400)).toBe(400);
    expect(exp - nbf).toBe(8 * 3600);
  });

  it('goes on from the recorded time on a restart, and never starts earlier than it on recorded data', () => {
    recordClockOffset(dataDir, -400 * DAY);
    expect(Math.round(startingClockOffset(dataDir, true) / DAY)).toBe(-400);
    expect(() => startingClockOffset(dataDir, true, Date.now() - 500 * DAY)).toThrow(/never runs backwards/);
    expect(Math.round(startingClockOffset(dataDir, true, Date.now() - 300 * DAY) / DAY)).toBe(-300);
    // A data directory without data may start at any date.
    expect(Math.round(startingClockOffset(dataDir, false, Date.now() - 500 * DAY) / DAY)).toBe(-500);
  });
});
