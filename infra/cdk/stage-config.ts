import type { Node } from 'constructs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

export type StageName = 'dev' | 'prod';

/** Who may call the HTTP API: a JWT issuer (OIDC provider) and the audiences it signs for. */
export interface JwtConfig {
  issuer: string;
  audience: string[];
}

/** Everything that differs between stages; the resources themselves come from the app model. */
export interface StageConfig {
  stage: StageName;
  /** Keep tables, keys and logs when the stack is deleted (prod), or clean up (dev). */
  retainData: boolean;
  logRetention: RetentionDays;
  /**
   * The JWT authorizer seam. Required in prod; in dev, when absent, the routes are open
   * (and the cdk-nag APIG4 finding is acknowledged for dev only).
   */
  jwt?: JwtConfig;
  /** Customs office code handed to the handlers as `CLEARWAY_OFFICE`, when given. */
  office?: string;
}

/** Context keys read by {@link readStageConfig} (`npx cdk synth -c stage=prod -c jwtIssuer=…`). */
export const CONTEXT_KEYS = {
  stage: 'stage',
  jwtIssuer: 'jwtIssuer',
  /** Comma-separated list of audiences (client ids). */
  jwtAudience: 'jwtAudience',
  office: 'office',
} as const;

const STAGES: readonly StageName[] = ['dev', 'prod'];

/**
 * Reads the stage configuration from CDK context; the stage defaults to `dev`.
 * @throws Error for an unknown stage, a half-configured JWT authorizer, or prod without one.
 */
export function readStageConfig(node: Node): StageConfig {
  const stage = (node.tryGetContext(CONTEXT_KEYS.stage) ?? 'dev') as StageName;
  if (!STAGES.includes(stage)) {
    throw new Error(`Unknown stage "${stage}" (context "${CONTEXT_KEYS.stage}"): expected one of ${STAGES.join(', ')}`);
  }
  const jwt = readJwtConfig(node);
  if (stage === 'prod' && !jwt) {
    throw new Error(
      `Stage prod needs a JWT authorizer: pass -c ${CONTEXT_KEYS.jwtIssuer}=<issuer URL> -c ${CONTEXT_KEYS.jwtAudience}=<aud1,aud2>`,
    );
  }
  const office = node.tryGetContext(CONTEXT_KEYS.office) as string | undefined;
  return {
    stage,
    retainData: stage === 'prod',
    logRetention: stage === 'prod' ? RetentionDays.ONE_YEAR : RetentionDays.ONE_MONTH,
    jwt,
    office: office || undefined,
  };
}

function readJwtConfig(node: Node): JwtConfig | undefined {
  const issuer = node.tryGetContext(CONTEXT_KEYS.jwtIssuer) as string | undefined;
  const audienceList = node.tryGetContext(CONTEXT_KEYS.jwtAudience) as string | undefined;
  if (!issuer && !audienceList) return undefined;
  const audience = String(audienceList ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  if (!issuer || audience.length === 0) {
    throw new Error(`A JWT authorizer needs both -c ${CONTEXT_KEYS.jwtIssuer} and -c ${CONTEXT_KEYS.jwtAudience}`);
  }
  return { issuer, audience };
}
