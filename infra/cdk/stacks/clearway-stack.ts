import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { tables as tableModels } from '../../app-model.js';
import { AuditTrail } from '../constructs/audit-trail.js';
import { DataTables } from '../constructs/data-tables.js';
import { EventRouting, routeToFunctions } from '../constructs/event-routing.js';
import { HandlerFunctions } from '../constructs/handler-functions.js';
import { ClearwayHttpApi } from '../constructs/http-api.js';
import { LifecycleWorkflows } from '../constructs/lifecycle-workflows.js';
import { OperationsMonitoring } from '../constructs/operations-monitoring.js';
import type { StageConfig } from '../stage-config.js';

export interface ClearwayStackProps extends StackProps {
  config: StageConfig;
}

/** The whole app model of one stage as one env-agnostic stack. */
export class ClearwayStack extends Stack {
  readonly data: DataTables;
  readonly events: EventRouting;
  readonly handlers: HandlerFunctions;
  readonly workflows: LifecycleWorkflows;
  readonly httpApi: ClearwayHttpApi;
  readonly monitoring: OperationsMonitoring;
  readonly auditTrail: AuditTrail;

  constructor(scope: Construct, id: string, props: ClearwayStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.data = new DataTables(this, 'Data', config);
    this.events = new EventRouting(this, 'Events', config);
    this.handlers = new HandlerFunctions(this, 'Handlers', {
      config,
      targets: {
        table: this.data.tables.main,
        tableModel: tableModels.main,
        idempotencyTable: this.data.tables.idempotency,
        tableKey: this.data.key,
        bus: this.events.bus,
      },
    });
    this.workflows = new LifecycleWorkflows(this, 'Workflows', {
      config,
      resources: {
        functions: this.handlers.functions,
        tables: this.data.tables,
        tableKey: this.data.key,
        bus: this.events.bus,
      },
    });
    this.handlers.connectWorkflows(this.workflows.stateMachines);
    routeToFunctions(this.events, this.handlers.functions);
    this.auditTrail = new AuditTrail(this, 'AuditTrail', {
      config,
      functions: this.handlers.functions,
      stateMachines: this.workflows.stateMachines,
    });
    this.handlers.connectAnchors(this.auditTrail.anchors);
    this.httpApi = new ClearwayHttpApi(this, 'Http', { config, functions: this.handlers.functions });
    this.monitoring = new OperationsMonitoring(this, 'Monitoring', {
      config,
      functions: this.handlers.functions,
      stateMachines: this.workflows.stateMachines,
      queues: this.events.queues,
      deadLetterQueues: this.events.deadLetterQueues,
      api: this.httpApi.api,
    });
  }
}
