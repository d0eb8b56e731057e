import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { NotFoundError } from '../domain/errors.js';
import type { DeclarationView } from '../ports/declaration-store.js';
import { assertVisible, type Principal } from './auth.js';
import { declarationStore } from './dependencies.js';

/**
 * The declaration the path's `{id}` names, as `principal` may see it: another organisation's
 * answers exactly like a missing one.
 * @throws NotFoundError
 */
export async function visibleView(event: APIGatewayProxyEventV2, principal: Principal): Promise<DeclarationView> {
  const id = event.pathParameters?.id ?? '';
  const view = await declarationStore().getView(id);
  assertVisible(principal, id, view?.traderId);
  if (!view) throw new NotFoundError(`Declaration ${id} does not exist`, '/id');
  return view;
}
