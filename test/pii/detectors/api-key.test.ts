import { generateGatewayKey } from '../../../lambda/keys/gateway-key';
import { ALNUM, BASE64URL, HEX, seededRng } from './generators';
import { found } from './scan';

const rng = seededRng(42);
const r = (alphabet: string, length: number): string => rng.chars(alphabet, length);

describe('API key detector', () => {
  it.each([
    ['OpenAI project key', `sk-proj-${r(BASE64URL, 48)}T3BlbkFJ${r(BASE64URL, 48)}`],
    ['OpenAI legacy key', `sk-${r(ALNUM, 20)}T3BlbkFJ${r(ALNUM, 20)}`],
    ['OpenAI service account key', `sk-svcacct-${r(BASE64URL, 64)}`],
    ['OpenAI-compatible key (DeepSeek style)', `sk-${r(HEX, 32)}`],
    ['Anthropic API key', `sk-ant-api03-${r(BASE64URL, 93)}AA`],
    ['Anthropic admin key', `sk-ant-admin01-${r(BASE64URL, 93)}AA`],
    ['GitHub personal access token', `ghp_${r(ALNUM, 36)}`],
    ['GitHub OAuth token', `gho_${r(ALNUM, 36)}`],
    ['GitHub fine-grained token', `github_pat_11${r(ALNUM, 20)}_${r(ALNUM, 59)}`],
    ['Slack bot token', `xoxb-${r('0123456789', 12)}-${r('0123456789', 13)}-${r(ALNUM, 24)}`],
    ['Slack token in its shortest form', `xoxb-1-${r(ALNUM, 10)}`],
    ['Slack user token', `xoxp-${r('0123456789', 11)}-${r('0123456789', 12)}-${r('0123456789', 13)}-${r(HEX, 32)}`],
    ['Slack webhook URL', `https://hooks.slack.com/services/T${r('ABCDEFGHJK0123456789', 8)}/B${r('ABCDEFGHJK0123456789', 10)}/${r(ALNUM, 24)}`],
    ['Stripe live secret key', `sk_live_${r(ALNUM, 24)}`],
    ['Stripe test secret key', `sk_test_${r(ALNUM, 99)}`],
    ['Stripe restricted key', `rk_live_${r(ALNUM, 24)}`],
    ['Stripe webhook secret', `whsec_${r(ALNUM, 32)}`],
    ['Google API key', `AIza${r(BASE64URL, 35)}`],
    ['GateLLM gateway key (as the gateway generates it)', generateGatewayKey().key],
    ['GateLLM admin token', `gllm_admin_${r(BASE64URL, 32)}`],
    ['npm token', `npm_${r(ALNUM, 36)}`],
    ['GitLab token with dashes in its body', 'glpat--mAyPx--fy9rJwub6MST'],
    ['Hugging Face token', `hf_${r(ALNUM, 34)}`],
    ['SendGrid key', `SG.${r(BASE64URL, 22)}.${r(BASE64URL, 43)}`],
    ['Shopify token', `shpat_${r(HEX, 32)}`],
    ['DigitalOcean token', `dop_v1_${r(HEX, 64)}`],
    ['Groq key', `gsk_${r(ALNUM, 52)}`],
  ])('finds a %s', (_, key) => {
    expect(found(`export TOKEN=${key}\n`, 'api_key')).toEqual([['api_key', key]]);
    expect(found(`Use "${key}" for staging.`, 'api_key')).toEqual([['api_key', key]]);
    expect(found(`curl -H "Authorization: Bearer ${key}" https://api.example.com`)).toEqual([['api_key', key]]);
  });

  it.each([
    ['placeholders', 'sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX sk_live_0000000000000000000000000000'],
    ['a Stripe publishable key (meant for web pages)', `pk_live_${r(ALNUM, 24)} pk_test_${r(ALNUM, 24)}`],
    ['a GateLLM key as listings show it', 'gllm_AbC123xyZ789… and gllm_AbC123xyZ789'],
    ['a key glued to a longer token', `my_ghp_${r(ALNUM, 36)} and ghp_${r(ALNUM, 36)}_old`],
    ['the wrong length', `ghp_${r(ALNUM, 20)} npm_${r(ALNUM, 35)} AIza${r(BASE64URL, 30)}`],
    ['CSS classes, model names and snake_case names', '.sk-loader-container-with-a-long-name claude-3-5-sonnet-20241022 hf_hub_download_from_repository gh_pages_deploy_branch'],
    ['a Slack placeholder', 'SLACK_TOKEN=xoxb-your-token-here'],
  ])('ignores %s', (_, text) => {
    expect(found(text, 'api_key')).toEqual([]);
  });
});
