import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';

/** The one Powertools logger; `serviceName` is shared by every Clearway function. */
export const logger = new Logger({ serviceName: 'clearway', logLevel: (process.env.LOG_LEVEL ?? 'WARN') as LogLevel });
