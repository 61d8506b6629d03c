/**
 * The gateway's version as `GET /health` reports it. A constant rather than a read of package.json at run
 * time: the Lambda bundle has no package.json, and /health must touch nothing but memory. A test keeps
 * it equal to package.json's version.
 */
export const GATELLM_VERSION = '0.1.0';
