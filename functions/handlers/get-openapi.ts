import { httpHandler, json } from '../shared/middy.js';
import { openApiDocument } from '../shared/openapi.js';

let document: Record<string, unknown> | undefined;

/** GET /openapi.json (every role): the OpenAPI 3.1 document of the e-port API, built once per container. */
export const handler = httpHandler(async () => {
  document ??= openApiDocument();
  return json(200, document);
});
