/**
 * Lambda runs the gateway on nodejs24.x; the suite must run on the same major, or a Node-version
 * difference (e.g. in streams or fetch) could pass here and fail in production. `npm ci` puts a Node 24
 * binary into node_modules/.bin (tools/node24), and npm scripts put that first on PATH.
 */
const LAMBDA_NODE_MAJOR = 24;

test('the suite runs on the Lambda runtime Node major', () => {
  const major = Number(process.versions.node.split('.')[0]);
  expect(major).toBe(LAMBDA_NODE_MAJOR);
});
