/** CDK entry point (`cdk.json`: `npx tsx infra/cdk/app.ts`). */
import { createClearwayApp } from './clearway-app.js';

createClearwayApp().app.synth();
