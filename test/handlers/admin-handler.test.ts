import type { Context } from 'aws-lambda';
import { createAdminHandler } from '../../lambda/handlers/admin-handler';
import type { HttpApp } from '../../lambda/http/types';
import { silentLogger } from '../../lambda/logging/logger';
import { createTestContext } from '../support/lambda-runtime';
import { apiGatewayEvent } from './events';
import { fakeApp } from './fake-app';


const context: Context = createTestContext();
const options = { maxRequestBodyBytes: 64, logger: silentLogger };

describe('admin handler (buffered)', () => {
  it('round-trips an event through the app into a proxy result', async () => {
    const app = fakeApp((request) => ({
      status: 201,
      headers: { 'content-type': 'application/json', 'x-request-id': 'req_a' },
      body: JSON.stringify({ method: request.method, path: request.path, name: (JSON.parse(Buffer.from(request.body).toString()) as { name?: unknown }).name, team: request.query.get('team') }),
    }));
    const handler = createAdminHandler(app, options);
    const result = await handler(
      apiGatewayEvent({ method: 'POST', path: '/admin/v1/teams', query: { team: ['t1'] }, headers: { 'Content-Type': ['application/json'] }, body: '{"name":"platform"}' }),
      context,
    );
    expect(result).toEqual({
      statusCode: 201,
      headers: { 'content-type': 'application/json', 'x-request-id': 'req_a' },
      body: '{"method":"POST","path":"/admin/v1/teams","name":"platform","team":"t1"}',
    });
    expect(app.seen[0]?.headers['content-type']).toBe('application/json');
  });

  it('collects a streamed or binary body into text', async () => {
    async function* csv(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode('team,costUsd\n');
      yield new TextEncoder().encode('platform,1.5\n');
    }
    const streamed = createAdminHandler(fakeApp(() => ({ status: 200, headers: { 'content-type': 'text/csv' }, body: csv() })), options);
    expect((await streamed(apiGatewayEvent({ method: 'GET', path: '/admin/v1/usage' }), context)).body).toBe('team,costUsd\nplatform,1.5\n');
    const binary = createAdminHandler(fakeApp(() => ({ status: 200, headers: {}, body: new TextEncoder().encode('ok') })), options);
    expect((await binary(apiGatewayEvent({ method: 'GET', path: '/admin/v1/teams' }), context)).body).toBe('ok');
  });

  it('answers an oversized body with 413 without calling the app', async () => {
    const app = fakeApp(() => ({ status: 200, headers: {}, body: '' }));
    const result = await createAdminHandler(app, options)(apiGatewayEvent({ path: '/admin/v1/teams', body: 'x'.repeat(65) }), context);
    expect(result.statusCode).toBe(413);
    expect(JSON.parse(result.body)).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(app.seen).toHaveLength(0);
  });

  it('turns an app that throws into a JSON 500', async () => {
    const app: HttpApp = {
      handle: async () => {
        throw new Error('boom');
      },
    };
    const result = await createAdminHandler(app, options)(apiGatewayEvent({ method: 'GET', path: '/admin/v1/teams' }), context);
    expect(result.statusCode).toBe(500);
    expect(JSON.parse(result.body)).toMatchObject({ error: { code: 'internal_error' } });
  });
});
