import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ClearwayStack } from './stacks/clearway-stack.js';
import { readStageConfig } from './stage-config.js';

/**
 * Builds the CDK app: one env-agnostic stack for the stage named in context (`-c stage=prod`,
 * default dev), checked by cdk-nag's AWS Solutions pack at synthesis.
 */
export function createClearwayApp(options: AppProps = {}): { app: App; stack: ClearwayStack } {
  const app = new App(options);
  const config = readStageConfig(app.node);
  const stack = new ClearwayStack(app, `Clearway-${config.stage}`, {
    config,
    description: `Clearway customs declaration lifecycle (${config.stage})`,
    tags: { application: 'clearway', stage: config.stage },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
