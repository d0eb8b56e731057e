import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { recordClockOffset, shiftedClock, startingClockOffset } from './clock.js';
import { startRuntime } from './runtime.js';

/**
 * `npm start`: the whole platform on this machine. PORT (default 3000) for the API,
 * CLEARWAY_ENDPOINT_PORT (default 4566) for the local AWS endpoint, CLEARWAY_DATA_DIR
 * (default .clearway/) for the data, which survives a restart. CLEARWAY_CLOCK_START (an ISO date
 * or instant) runs the platform as of that moment, time passing from there: the legal date binds
 * law, tariff and exchange rates, so the dated examples can be run on their own dates. The offset
 * is kept in the data directory: a restart goes on from the platform's own time, and a start
 * earlier than it on existing data is refused.
 */
const dataDir = resolve(process.env.CLEARWAY_DATA_DIR ?? '.clearway');
const clockStart = process.env.CLEARWAY_CLOCK_START;
const startMs = clockStart ? Date.parse(clockStart) : undefined;
if (clockStart && Number.isNaN(startMs)) {
  console.error(`CLEARWAY_CLOCK_START must be an ISO date or instant (e.g. 2025-05-20 or 2025-05-20T02:00:00Z), got ${clockStart}`);
  process.exit(2);
}
let offsetMs: number;
try {
  offsetMs = startingClockOffset(dataDir, existsSync(join(dataDir, 'dynamodb')), startMs);
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const runtime = await startRuntime({
  apiPort: Number(process.env.PORT ?? 3000),
  endpointPort: Number(process.env.CLEARWAY_ENDPOINT_PORT ?? 4566),
  dataDir,
  clock: shiftedClock(offsetMs),
});
// Tools that sign tokens or drive the platform (clearway token, npm run demo -- --url) act on its time.
recordClockOffset(runtime.dataDir!, offsetMs);

// Tools find the platform's key in .clearway of the directory they run in, unless told otherwise.
const ownDataDir = runtime.dataDir !== resolve('.clearway');
const dataDirOption = ownDataDir ? ` --data-dir ${runtime.dataDir}` : '';
const dataDirEnv = ownDataDir ? `CLEARWAY_DATA_DIR=${runtime.dataDir} ` : '';
console.log(`Clearway is running.
  e-port API          ${runtime.apiUrl}   (POST /declarations, GET /declarations/{id}, …)
  local AWS endpoint  ${runtime.endpointUrl}   (DynamoDB, Step Functions, EventBridge: --endpoint-url)
  data                ${runtime.dataDir}
  clock               ${new Date(runtime.clock.now()).toISOString()}${offsetMs === 0 ? ' (wall clock)' : ' (shifted from the wall clock; kept across restarts)'}
Submit a real declaration (WCO DMS 3.6, HMRC's TT_IM001a) as its declarant:
  TOKEN=$(npx clearway token --role declarant --org GB603202734852${dataDirOption})
  curl -s -X POST ${runtime.apiUrl}/declarations -H "authorization: Bearer $TOKEN" \\
       -H 'content-type: application/xml' --data-binary @examples/wco-dms/TT_IM001a/Step1_TT_IM001a.xml
  curl -s ${runtime.apiUrl}/declarations/<id> -H "authorization: Bearer $TOKEN"
  API description: ${runtime.apiUrl}/openapi.json
All bundled examples, end to end: npm run demo (an embedded platform of its own, each example on its
  source's date), or through this platform: ${dataDirEnv}npm run demo -- --url ${runtime.apiUrl}
Stop with Ctrl+C.`);

const shutdown = async () => {
  await runtime.stop();
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
