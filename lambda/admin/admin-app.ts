import { createRoutedApp, type Route } from '../api/route-table';
import type { HttpApp } from '../http/types';
import { createAdminContext, type AdminAppDeps, type AdminContext } from './admin-context';
import { alertRoutes } from './routes/alerts';
import { auditRoutes } from './routes/audit';
import { budgetRoutes } from './routes/budgets';
import { keyRoutes } from './routes/keys';
import { limitRoutes } from './routes/limits';
import { piiRoutes } from './routes/pii';
import { teamRoutes } from './routes/teams';
import { usageRoutes } from './routes/usage';
import { userRoutes } from './routes/users';

export type { AdminAppDeps } from './admin-context';

/** Each module serves one entity's routes; every change it makes is written to the audit trail. */
const ROUTE_MODULES: readonly ((context: AdminContext) => Route[])[] = [
  teamRoutes, userRoutes, keyRoutes, budgetRoutes, limitRoutes, piiRoutes, alertRoutes, usageRoutes, auditRoutes,
];

/** Admin REST API under /admin/v1. Authentication happens in front of it (IAM on AWS, a bearer token locally). */
export function createAdminApp(deps: AdminAppDeps): HttpApp {
  const context = createAdminContext(deps);
  return createRoutedApp(ROUTE_MODULES.flatMap((module) => module(context)), { logger: deps.logger });
}
