import { startRuntime } from './runtime.js';

/**
 * `npm start`: the whole platform on this machine. PORT (default 3000) for the API,
 * CLEARWAY_ENDPOINT_PORT (default 4566) for the local AWS endpoint, CLEARWAY_DATA_DIR
 * (default .clearway/) for the data, which survives a restart.
 */
const runtime = await startRuntime({
  apiPort: Number(process.env.PORT ?? 3000),
  endpointPort: Number(process.env.CLEARWAY_ENDPOINT_PORT ?? 4566),
  dataDir: process.env.CLEARWAY_DATA_DIR ?? '.clearway',
});

console.log(`Clearway is running.
  e-port API          ${runtime.apiUrl}   (POST /declarations, GET /declarations/{id}, …)
  local AWS endpoint  ${runtime.endpointUrl}   (DynamoDB, Step Functions, EventBridge: --endpoint-url)
  data                ${runtime.dataDir}
Submit a real declaration (WCO DMS 3.6, HMRC's TT_IM001a) as its declarant:
  TOKEN=$(npx clearway token --role declarant --org GB603202734852)
  curl -s -X POST ${runtime.apiUrl}/declarations -H "authorization: Bearer $TOKEN" \\
       -H 'content-type: application/xml' --data-binary @examples/wco-dms/TT_IM001a/Step1_TT_IM001a.xml
  curl -s ${runtime.apiUrl}/declarations/<id> -H "authorization: Bearer $TOKEN"
  API description: ${runtime.apiUrl}/openapi.json
All bundled examples, end to end, on an embedded platform of their own: npm run demo
Stop with Ctrl+C.`);

const shutdown = async () => {
  await runtime.stop();
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
