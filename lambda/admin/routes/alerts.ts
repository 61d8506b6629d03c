import type { Route, RouteHandler } from '../../api/route-table';
import { InvalidRequestError } from '../../errors/gateway-error';
import type { BudgetAlertQuery } from '../../stores/store';
import { json, type AdminContext } from '../admin-context';
import type { BudgetAlertList } from '../api-types/governance';

function isoParam(query: URLSearchParams, field: string): string | undefined {
  const value = query.get(field);
  if (value === null || value === '') return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new InvalidRequestError(`'${field}' must be an ISO-8601 date or time.`, 'invalid_value', { param: field });
  return new Date(time).toISOString();
}

/** /admin/v1/budget-alerts: thresholds budgets crossed, newest first (notifications come later). */
export function alertRoutes(context: AdminContext): Route[] {
  const listAlerts: RouteHandler = async (request) => {
    const limitText = request.query.get('limit');
    const limit = limitText === null ? undefined : Number(limitText);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 1000)) {
      throw new InvalidRequestError("'limit' must be an integer from 1 to 1000.", 'invalid_value', { param: 'limit' });
    }
    const budgetId = request.query.get('budget');
    const from = isoParam(request.query, 'from');
    const to = isoParam(request.query, 'to');
    const query: BudgetAlertQuery = {
      ...(budgetId === null ? {} : { budgetId }), ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }),
      ...(limit === undefined ? {} : { limit }),
    };
    const list: BudgetAlertList = { object: 'list', data: await context.stores.alerts.listAlerts(query) };
    return json(200, list);
  };
  return [{ pattern: /^\/admin\/v1\/budget-alerts\/?$/, methods: { GET: listAlerts } }];
}
