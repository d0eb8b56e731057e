/**
 * The platform as a process of its own, for tests that kill it (`kill -9`) and start it again:
 * `npm start`'s runtime on CLEARWAY_DATA_DIR with free ports, on the wall clock shifted by
 * CLEARWAY_CLOCK_OFFSET_MS (so a declaration can be run on the date its worked example gives,
 * and the same offset on every start keeps time moving forward). Prints one JSON line with its
 * URLs once it listens.
 */
import { shiftedClock } from '../../infra/local/clock.js';
import { startRuntime } from '../../infra/local/runtime.js';

const offset = Number(process.env.CLEARWAY_CLOCK_OFFSET_MS ?? 0);
const clock = shiftedClock(offset);
const runtime = await startRuntime({ dataDir: process.env.CLEARWAY_DATA_DIR!, apiPort: 0, endpointPort: 0, clock });
console.log(JSON.stringify({ apiUrl: runtime.apiUrl, endpointUrl: runtime.endpointUrl, pid: process.pid }));
process.once('SIGTERM', () => void runtime.stop().then(() => process.exit(0)));
