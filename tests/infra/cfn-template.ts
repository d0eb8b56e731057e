/** Small read-only queries over a synthesized CloudFormation template, for the CDK tests. */

export interface CfnResource {
  Type: string;
  Properties?: Record<string, any>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}
export type Resources = Record<string, CfnResource>;

export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
  Condition?: unknown;
}

/** The logical ids and resources of one CloudFormation type. */
export function ofType(resources: Resources, type: string): [string, CfnResource][] {
  return Object.entries(resources).filter(([, r]) => r.Type === type);
}

/** The single resource of a type whose properties satisfy `match`, failing when not exactly one. */
export function single(resources: Resources, type: string, match: (props: Record<string, any>) => boolean): [string, CfnResource] {
  const found = ofType(resources, type).filter(([, r]) => match(r.Properties ?? {}));
  if (found.length !== 1) throw new Error(`Expected one ${type} matching, found ${found.length}`);
  return found[0];
}

/** The logical ids a CloudFormation value refers to through Ref or Fn::GetAtt, in order. */
export function referencedIds(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(referencedIds);
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (typeof obj.Ref === 'string') return obj.Ref.startsWith('AWS::') ? [] : [obj.Ref];
    if (Array.isArray(obj['Fn::GetAtt'])) return [String(obj['Fn::GetAtt'][0])];
    return Object.values(obj).flatMap(referencedIds);
  }
  return [];
}

/** Every Allow statement in the identity policies (inline and attached) of a role. */
export function roleStatements(resources: Resources, roleId: string): PolicyStatement[] {
  const inline = (resources[roleId].Properties?.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement);
  const attached = ofType(resources, 'AWS::IAM::Policy')
    .filter(([, p]) => referencedIds(p.Properties?.Roles).includes(roleId))
    .flatMap(([, p]) => p.Properties!.PolicyDocument.Statement as PolicyStatement[]);
  return [...inline, ...attached].filter((s) => s.Effect === 'Allow');
}

/** Each (action, resource) pair a statement allows, resources kept as CloudFormation values. */
export function grants(statements: PolicyStatement[]): { action: string; resource: unknown }[] {
  const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);
  return statements.flatMap((s) => list(s.Action).flatMap((action) => list(s.Resource).map((resource) => ({ action, resource }))));
}
