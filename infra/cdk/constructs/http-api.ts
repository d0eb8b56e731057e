import { CfnOutput, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination, type IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { routes as routeModels, scopeOf, type FunctionName, type RouteModel } from '../../app-model.js';
import type { StageConfig } from '../stage-config.js';

export interface ClearwayHttpApiProps {
  config: StageConfig;
  functions: Record<FunctionName, IFunction>;
}

/** Default throttling of the `$default` stage (requests/second, burst). */
const THROTTLE = { rateLimit: 100, burstLimit: 200 };

/**
 * The API Gateway HTTP API: one route per route of the app model, each integrated with its
 * function (payload format 2.0), behind a JWT authorizer when one is configured — each route
 * requiring one of its roles' scopes (`clearway/<role>`) — with access logging on the `$default` stage.
 */
export class ClearwayHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: ClearwayHttpApiProps) {
    super(scope, id);
    const { config, functions } = props;
    this.api = new HttpApi(this, 'Api', {
      description: `Clearway ${config.stage}: e-port, officer and payment API`,
      createDefaultStage: false,
      defaultAuthorizer: jwtAuthorizer(config),
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: config.logRetention,
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs) },
      throttle: THROTTLE,
    });
    for (const route of routeModels) this.addRoute(route, functions[route.function], config.jwt !== undefined);

    if (!config.jwt) {
      // The seam: dev without -c jwtIssuer/-c jwtAudience has no gateway authorizer; prod refuses to synth.
      Validations.of(this.api).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          `Stage ${config.stage} has no JWT issuer configured (context jwtIssuer/jwtAudience); prod requires one. ` +
          'Without it the handlers see no verified claims and answer every request 401 (functions/shared/auth.ts).',
      });
    }
    new CfnOutput(this, 'Url', { value: this.stage.url, description: 'Base URL of the Clearway HTTP API' });
  }

  private addRoute(route: RouteModel, fn: IFunction, authorized: boolean): void {
    const id = `${route.method}${route.path.replace(/[^A-Za-z0-9]/g, '')}`;
    this.api.addRoutes({
      path: route.path,
      methods: [HttpMethod[route.method]],
      integration: new HttpLambdaIntegration(`${id}Integration`, fn),
      // The token must carry at least one of the route's scopes (API Gateway, "JWT authorizers").
      ...(authorized ? { authorizationScopes: route.roles.map(scopeOf) } : {}),
    });
  }
}

function jwtAuthorizer(config: StageConfig): IHttpRouteAuthorizer | undefined {
  if (!config.jwt) return undefined;
  return new HttpJwtAuthorizer('Jwt', config.jwt.issuer, { jwtAudience: config.jwt.audience });
}
