#!/usr/bin/env node
/**
 * The CDK app: deploys one GatewayStack from settings in the environment and runs cdk-nag on it.
 *
 *   GATELLM_CONFIG      gateway configuration, JSON with comments (default ./gatellm.config.json, else the repo's example)
 *   GATELLM_REGION      target region (else AWS_REGION, else us-east-1); the CLI overwrites CDK_DEFAULT_REGION
 *   GATELLM_STACK_NAME  stack name (default GateLLM)
 *
 * The account is left open (env-agnostic), so synth needs no credentials and makes no lookups.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseGatewayConfig } from '../lambda/config/validate-config';
import { parseJsonc } from '../lambda/local/local-settings';
import { GatewayStack } from '../lib';

function configPath(): string {
  const explicit = process.env.GATELLM_CONFIG;
  if (explicit !== undefined && explicit !== '') return path.resolve(explicit);
  const local = path.resolve('gatellm.config.json');
  return fs.existsSync(local) ? local : path.join(__dirname, '..', 'gatellm.config.example.json');
}

const file = configPath();
if (!fs.existsSync(file)) throw new Error(`GateLLM: gateway configuration not found at ${file} (set GATELLM_CONFIG)`);
// The same JSONC reader as the local server: the README's example configuration has comments.
const config = parseGatewayConfig(parseJsonc(fs.readFileSync(file, 'utf8'), file));

const app = new App();
new GatewayStack(app, process.env.GATELLM_STACK_NAME || 'GateLLM', {
  config,
  env: { region: process.env.GATELLM_REGION || process.env.AWS_REGION || 'us-east-1' },
  description: 'GateLLM: LLM governance gateway (API Gateway, Lambda, DynamoDB, Secrets Manager)',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
