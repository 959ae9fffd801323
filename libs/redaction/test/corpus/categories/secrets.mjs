// Secret categories: provider formats from gitleaks' config/gitleaks.toml and detect-secrets' plugins, private keys
// (PEM and JSON key files), database URLs of every driver, framework SECRET_KEY settings and credentials that only
// their key name gives away. Hard negatives are the public identifiers that sit next to them.
import {
  alnum,
  b64chars,
  b64url,
  digits,
  hex,
  int,
  isoTime,
  lowerAlnum,
  password,
  pick,
  sha1,
  upperAlnum,
  uuid,
} from '../values.mjs';
import { c } from './entities.mjs';

const AWS_ID = () =>
  `${pick(['AKIA', 'ASIA'])}${Array.from({ length: 16 }, () => pick([...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'])).join('')}`;
const AWS_SECRET = () => b64chars(40);
const SLACK_BOT = () => `xoxb-${digits(12)}-${digits(13)}-${alnum(24)}`;
const jwtPart = (object) => Buffer.from(JSON.stringify(object)).toString('base64url');
/** A JWT with a real header and payload and a random signature. */
export const jwt = () =>
  `${jwtPart({ alg: 'HS256', typ: 'JWT' })}.${jwtPart({ sub: `u-${digits(6)}`, iat: int(1_700_000_000, 1_760_000_000), role: 'customer' })}.${b64url(43)}`;
/** PEM body lines of `n` 64-char base64 lines, starting the way DER of that key type does. */
const pemLines = (head, n) => [
  head + b64chars(64 - head.length),
  ...Array.from({ length: n - 1 }, () => b64chars(64)),
];
const DJANGO_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789!@#%^&*(-_=+)';
const djangoKey = () =>
  Array.from({ length: 50 }, () => DJANGO_CHARS[int(0, DJANGO_CHARS.length - 1)]).join('');

export const privateKey = (type = 'RSA') => {
  const lines = pemLines(
    type === 'RSA'
      ? 'MIIEowIBAAKCAQEA'
      : type === 'EC'
        ? 'MHcCAQEEI'
        : type === 'OPENSSH'
          ? 'b3BlbnNzaC1rZXktdjEAAAAA'
          : 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
    6,
  );
  const label = type === 'PKCS8' ? 'PRIVATE KEY' : `${type} PRIVATE KEY`;
  return { pem: `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----`, lines };
};

export const secretCategories = {
  'secrets-cloud': {
    surface: 'config, env, logs, JSON',
    anchor:
      'gitleaks aws-access-token, gcp-api-key, azure-ad-client-secret, digitalocean-*, alibaba-access-key-id',
    pos: [
      () => {
        const id = AWS_ID();
        const s = AWS_SECRET();
        return c(
          `[default]\naws_access_key_id = ${id}\naws_secret_access_key = ${s}\nregion = ap-south-1`,
          [id, s],
          ['region = ap-south-1', '[default]'],
        );
      },
      () => {
        const id = AWS_ID();
        return c(
          { msg: `boto3 using credentials ${id} for s3://invoices-prod/2026/`, level: 'debug' },
          [id],
          ['s3://invoices-prod/2026/'],
        );
      },
      () => {
        const s = AWS_SECRET();
        return c({ AWS_SECRET_ACCESS_KEY: s, AWS_DEFAULT_REGION: 'eu-west-1' }, [s], ['eu-west-1']);
      },
      () => {
        const k = `AIza${b64url(35)}`;
        return c(
          `GET https://maps.googleapis.com/maps/api/geocode/json?address=Gulshan&key=${k} 200`,
          [k],
          ['maps.googleapis.com/maps/api/geocode/json'],
        );
      },
      () => {
        const k = `${alnum(3)}8Q~${b64url(31).replace(/-/g, '.')}`;
        return c({ AZURE_CLIENT_SECRET: k, AZURE_TENANT_ID: uuid() }, [k], []);
      },
      () => {
        const k = b64chars(86) + '==';
        return c(
          `DefaultEndpointsProtocol=https;AccountName=shopmedia;AccountKey=${k};EndpointSuffix=core.windows.net`,
          [k],
          ['AccountName=shopmedia', 'EndpointSuffix=core.windows.net'],
        );
      },
      () => {
        const k = `dop_v1_${hex(64)}`;
        return c(`doctl auth init --access-token ${k}`, [k], ['doctl auth init']);
      },
      () => {
        const k = `LTAI${alnum(20)}`;
        return c({ alibaba: { access_key_id: k, region: 'cn-hangzhou' } }, [k], ['cn-hangzhou']);
      },
      () => {
        const k = `GOCSPX-${b64url(28)}`;
        return c(
          {
            web: {
              client_id: `${digits(12)}-${lowerAlnum(32)}.apps.googleusercontent.com`,
              client_secret: k,
            },
          },
          [k],
          ['apps.googleusercontent.com'],
        );
      },
      () => {
        const s = AWS_SECRET();
        const id = AWS_ID();
        return c(
          `export AWS_ACCESS_KEY_ID=${id}\nexport AWS_SECRET_ACCESS_KEY=${s}`,
          [id, s],
          ['export AWS_ACCESS_KEY_ID='],
        );
      },
    ],
    neg: [
      () => {
        const a = `arn:aws:iam::${digits(12)}:role/orders-worker`;
        return c({ role_arn: a }, [], [a]);
      },
      () => {
        const b = `s3://vigil-backups-${lowerAlnum(6)}/daily/`;
        return c(`uploading to ${b}`, [], [b]);
      },
      () => {
        const r = uuid();
        return c(
          { 'x-amz-request-id': r.replace(/-/g, '').toUpperCase().slice(0, 16), region: 'us-east-1' },
          [],
          ['us-east-1'],
        );
      },
      () => {
        const i = `i-0${hex(16)}`;
        return c(`instance ${i} healthy`, [], [i]);
      },
      () => {
        const k = `${digits(12)}-${lowerAlnum(32)}.apps.googleusercontent.com`;
        return c({ client_id: k }, [], [k]);
      },
      () =>
        c(
          { AWS_REGION: 'ap-southeast-1', AWS_PROFILE: 'prod-readonly' },
          [],
          ['ap-southeast-1', 'prod-readonly'],
        ),
      () => {
        const v = `projects/shop-${lowerAlnum(6)}/topics/orders`;
        return c(v, [], [v]);
      },
      () => {
        const v = `/subscriptions/${uuid()}/resourceGroups/rg-prod`;
        return c({ id: v }, [], [v]);
      },
      () => {
        const v = `ami-0${hex(16)}`;
        return c({ image: v }, [], [v]);
      },
      () => c('aws_access_key_id was rotated 12 days ago', [], ['aws_access_key_id was rotated 12 days ago']),
    ],
  },
  'secrets-payment': {
    surface: 'config, logs, JSON',
    anchor: 'gitleaks stripe-access-token, square-*, braintree/paypal; detect-secrets StripeDetector',
    pos: [
      () => {
        const k = `sk_live_${alnum(24)}`;
        return c({ STRIPE_SECRET_KEY: k, STRIPE_PUBLISHABLE_KEY: `pk_live_${alnum(24)}` }, [k], ['pk_live_']);
      },
      () => {
        const k = `rk_live_${alnum(24)}`;
        return c(`stripe.api_key = "${k}"`, [k], ['stripe.api_key']);
      },
      () => {
        const k = `whsec_${alnum(32)}`;
        return c({ webhook_signing_secret: k }, [k], []);
      },
      () => {
        const k = `sk_test_${alnum(24)}`;
        return c(
          `curl https://api.stripe.com/v1/charges -u ${k}:`,
          [k],
          ['https://api.stripe.com/v1/charges'],
        );
      },
      () => {
        const k = `sq0atp-${b64url(22)}`;
        return c({ square: { access_token: k, location: `L${upperAlnum(12)}` } }, [k], []);
      },
      () => {
        const k = `sq0csp-${b64url(43)}`;
        return c(`SQUARE_APP_SECRET=${k}`, [k], ['SQUARE_APP_SECRET=']);
      },
      () => {
        const k = `access_token$production$${lowerAlnum(16)}$${hex(32)}`;
        return c({ braintree_token: k }, [k], []);
      },
      () => {
        const k = `EAAA${b64url(60)}`;
        return c(`Authorization: Bearer ${k}`, [k], ['Authorization']);
      },
      () => {
        const k = `rzp_live_${alnum(14)}`;
        const s = alnum(24);
        return c({ razorpay: { key_id: k, key_secret: s } }, [s], [k]);
      },
      () => {
        const k = `sk_live_${alnum(99)}`;
        return c(`Stripe error: Invalid API Key provided: ${k}`, [k], ['Invalid API Key provided']);
      },
    ],
    neg: [
      () => {
        const k = `pk_live_${alnum(24)}`;
        return c({ publishableKey: k }, [], [k]);
      },
      () => {
        const k = `pk_test_${alnum(24)}`;
        return c(`Stripe.js loaded with ${k}`, [], [k]);
      },
      () => {
        const v = `ch_3${alnum(23)}`;
        return c({ charge: v, status: 'succeeded' }, [], [v]);
      },
      () => {
        const v = `cus_${alnum(14)}`;
        return c(`customer ${v} updated`, [], [v]);
      },
      () => {
        const v = `pi_3${alnum(23)}`;
        return c({ payment_intent: v, amount: 4999 }, [], [v, '4999']);
      },
      () => {
        const v = `evt_1${alnum(23)}`;
        return c({ id: v, type: 'invoice.paid' }, [], [v, 'invoice.paid']);
      },
      () => {
        const v = `acct_1${alnum(15)}`;
        return c({ connected_account: v }, [], [v]);
      },
      () => {
        const v = `price_1${alnum(23)}`;
        return c({ price: v, interval: 'month' }, [], [v]);
      },
      () => {
        const v = `rzp_live_${alnum(14)}`;
        return c({ razorpay_key_id: v }, [], [v]);
      },
      () => {
        const v = `whsec_ rotated at ${dateLike()}`;
        return c(v, [], [v]);
      },
    ],
  },
  'secrets-messaging': {
    surface: 'config, logs, URLs',
    anchor:
      'gitleaks slack-*, twilio-api-key, sendgrid-api-token, mailgun-*, mailchimp-api-key, telegram-bot-api-token, discord-*',
    pos: [
      () => {
        const k = SLACK_BOT();
        return c({ SLACK_BOT_TOKEN: k, channel: 'C024BE91L' }, [k], ['C024BE91L']);
      },
      () => {
        const p = `T${upperAlnum(8)}/B${upperAlnum(10)}/${alnum(24)}`;
        return c(
          `posting alert to https://hooks.slack.com/services/${p}`,
          [p.split('/')[2]],
          ['https://hooks.slack.com/services/'],
        );
      },
      () => {
        const k = `SK${hex(32)}`;
        return c({ twilio: { account_sid: `AC${hex(32)}`, api_key: k } }, [k], []);
      },
      () => {
        const k = `SG.${b64url(22)}.${b64url(43)}`;
        return c(`SENDGRID_API_KEY=${k}`, [k], ['SENDGRID_API_KEY=']);
      },
      () => {
        const k = `key-${hex(32)}`;
        return c({ MAILGUN_API_KEY: k, MAILGUN_DOMAIN: 'mg.shop.example.com' }, [k], ['mg.shop.example.com']);
      },
      () => {
        const k = `${hex(32)}-us${int(1, 21)}`;
        return c(`mailchimp client configured with api key ${k}`, [k], []);
      },
      () => {
        const k = `${int(100000000, 999999999)}:AA${b64url(33)}`;
        return c(`POST https://api.telegram.org/bot${k}/sendMessage 200`, [k], ['/sendMessage']);
      },
      () => {
        const p = `${digits(18)}/${b64url(68)}`;
        return c({ webhook: `https://discord.com/api/webhooks/${p}` }, [p.split('/')[1]], []);
      },
      () => {
        const k = `xoxp-${digits(12)}-${digits(12)}-${digits(13)}-${hex(32)}`;
        return c(`slack user token ${k} revoked`, [k], ['revoked']);
      },
      () => {
        const t = hex(32);
        return c({ TWILIO_ACCOUNT_SID: `AC${hex(32)}`, TWILIO_AUTH_TOKEN: t }, [t], []);
      },
    ],
    neg: [
      () => {
        const v = `AC${hex(32)}`;
        return c({ account_sid: v }, [], [v]);
      },
      () => {
        const v = `SM${hex(32)}`;
        return c(`twilio message ${v} delivered`, [], [v]);
      },
      () =>
        c(
          { channel: 'C024BE91L', user: 'U0G9QF9C6', ts: '1712345678.000200' },
          [],
          ['C024BE91L', 'U0G9QF9C6', '1712345678.000200'],
        ),
      () => {
        const v = `-100${digits(10)}`;
        return c({ telegram_chat_id: v }, [], [v]);
      },
      () =>
        c(
          'slack_token_expires_in=43200 token_type=bot',
          [],
          ['slack_token_expires_in=43200', 'token_type=bot'],
        ),
      () => {
        const v = `<${uuid()}@mg.shop.example.com>`;
        return c({ 'message-id': v }, [], [v]);
      },
      () => {
        const v = digits(18);
        return c({ discord_guild_id: v }, [], [v]);
      },
      () => c({ template_id: `d-${hex(32)}` }, [], ['d-']),
      () =>
        c(
          'xoxb tokens are stored in Vault under kv/slack',
          [],
          ['xoxb tokens are stored in Vault under kv/slack'],
        ),
      () => {
        const v = `MG${hex(32)}`;
        return c({ messaging_service_sid: v }, [], [v]);
      },
    ],
  },
  'secrets-ci-vcs': {
    surface: 'CI logs, git remotes, env',
    anchor:
      'gitleaks github-pat, github-fine-grained-pat, gitlab-pat, bitbucket, circleci; detect-secrets GitHubTokenDetector',
    pos: [
      () => {
        const k = `ghp_${alnum(36)}`;
        return c(`git clone https://${k}@github.com/acme/shop.git`, [k], ['github.com/acme/shop.git']);
      },
      () => {
        const k = `github_pat_11${upperAlnum(20)}_${alnum(59)}`;
        return c({ GITHUB_TOKEN: k }, [k], []);
      },
      () => {
        const k = `glpat-${b64url(20)}`;
        return c(`remote: HTTP Basic: Access denied for token ${k}`, [k], ['Access denied']);
      },
      () => {
        const k = `gho_${alnum(36)}`;
        return c({ oauth: { access_token: k, scope: 'repo,read:org' } }, [k], ['repo,read:org']);
      },
      () => {
        const k = `ghs_${alnum(36)}`;
        return c(`::debug::installation token ${k} expires in 3600s`, [k], ['3600s']);
      },
      () => {
        const k = `CIRCLE_TOKEN=${hex(40)}`;
        return c(k, [k.slice(13)], ['CIRCLE_TOKEN=']);
      },
      () => {
        const k = `bkua_${hex(40)}`;
        return c({ buildkite_agent_token: k }, [k], []);
      },
      () => {
        const k = `ATBB${alnum(32)}`;
        return c(`bitbucket app password ${k}`, [k], []);
      },
      () => {
        const k = `glptt-${hex(40)}`;
        return c(
          `curl -X POST --fail -F token=${k} -F ref=main https://gitlab.com/api/v4/projects/42/trigger/pipeline`,
          [k],
          ['ref=main'],
        );
      },
      () => {
        const k = `ghr_${alnum(36)}`;
        return c({ refresh_token: k }, [k], []);
      },
    ],
    neg: [
      () => {
        const v = sha1();
        return c(`HEAD is now at ${v.slice(0, 7)} fix: retry`, [], [v.slice(0, 7)]);
      },
      () => {
        const v = sha1();
        return c({ GITHUB_SHA: v, GITHUB_REF: 'refs/heads/main' }, [], [v, 'refs/heads/main']);
      },
      () => {
        const v = String(int(1e9, 9e9));
        return c({ GITHUB_RUN_ID: v, GITHUB_RUN_ATTEMPT: '1' }, [], [v]);
      },
      () =>
        c(
          'https://github.com/acme/shop/actions/runs/7123456789/job/19400000000',
          [],
          ['https://github.com/acme/shop/actions/runs/7123456789/job/19400000000'],
        ),
      () => {
        const v = `Iv1.${hex(16)}`;
        return c({ github_app_client_id: v }, [], [v]);
      },
      () => c('token permissions: contents: read, packages: write', [], ['contents: read, packages: write']),
      () => {
        const v = `v${int(1, 4)}.${int(0, 9)}.${int(0, 9)}`;
        return c(`uses: actions/checkout@${v}`, [], [`actions/checkout@${v}`]);
      },
      () => {
        const v = sha1();
        return c(`Merge pull request #${int(100, 999)} from acme/feature (${v})`, [], [v]);
      },
      () =>
        c({ CI: 'true', CI_PIPELINE_ID: '1092384', CI_JOB_NAME: 'test:unit' }, [], ['1092384', 'test:unit']),
      () => c('GITHUB_TOKEN permissions set to read-all', [], ['GITHUB_TOKEN permissions set to read-all']),
    ],
  },
  'secrets-package-registries': {
    surface: '.npmrc, pip.conf, env, CI logs',
    anchor:
      'gitleaks npm-access-token, pypi-upload-token, rubygems-api-token, nuget, dockerhub-pat; detect-secrets NpmDetector',
    pos: [
      () => {
        const k = `npm_${alnum(36)}`;
        return c(`//registry.npmjs.org/:_authToken=${k}`, [k], ['//registry.npmjs.org/:_authToken=']);
      },
      () => {
        const k = `pypi-AgEIcHlwaS5vcmc${b64url(60)}`;
        return c({ TWINE_PASSWORD: k, TWINE_USERNAME: '__token__' }, [k], ['__token__']);
      },
      () => {
        const k = `rubygems_${hex(48)}`;
        return c(`GEM_HOST_API_KEY: ${k}`, [k], ['GEM_HOST_API_KEY']);
      },
      () => {
        const k = `dckr_pat_${b64url(27)}`;
        return c(
          `echo ${k} | docker login -u acmeci --password-stdin`,
          [k],
          ['docker login -u acmeci --password-stdin'],
        );
      },
      () => {
        const k = `oy2${lowerAlnum(43)}`;
        return c({ NUGET_API_KEY: k }, [k], []);
      },
      () => {
        const p = password();
        return c(
          `[global]\nindex-url = https://deploy:${p}@pypi.internal.example.com/simple/`,
          [p],
          ['pypi.internal.example.com/simple/'],
        );
      },
      () => {
        const k = `npm_${alnum(36)}`;
        return c({ env: { NPM_TOKEN: k, NODE_ENV: 'production' } }, [k], ['production']);
      },
      () => {
        const k = b64chars(40);
        return c(`//npm.pkg.github.com/:_auth=${k}`, [k], ['npm.pkg.github.com']);
      },
      () => {
        const k = `AKCp${alnum(69)}`;
        return c({ artifactory_api_key: k }, [k], []);
      },
      () => {
        const k = `glrt-${b64url(20)}`;
        return c(`gitlab-runner register --token ${k}`, [k], ['gitlab-runner register']);
      },
    ],
    neg: [
      () => {
        const v = `sha512-${b64chars(86)}==`;
        return c({ integrity: v }, [], [v]);
      },
      () => {
        const v = `https://registry.npmjs.org/lodash/-/lodash-4.17.${int(10, 21)}.tgz`;
        return c({ resolved: v }, [], [v]);
      },
      () =>
        c(
          'registry=https://registry.npmjs.org/\nalways-auth=false',
          [],
          ['registry=https://registry.npmjs.org/', 'always-auth=false'],
        ),
      () => {
        const v = `docker.io/library/python:3.11-slim@sha256:${hex(64)}`;
        return c(v, [], [v]);
      },
      () =>
        c({ name: '@vigil/redaction', version: '0.1.0', private: true }, [], ['@vigil/redaction', '0.1.0']),
      () =>
        c(
          'Successfully installed Django-3.2.25 sentry-sdk-1.9.10',
          [],
          ['Django-3.2.25', 'sentry-sdk-1.9.10'],
        ),
      () => c({ TWINE_USERNAME: '__token__', TWINE_REPOSITORY: 'pypi' }, [], ['__token__']),
      () => {
        const v = `${hex(64)}`;
        return c(`wheel sha256=${v}`, [], [v]);
      },
      () =>
        c(
          'npm notice Publishing to https://registry.npmjs.org/ with tag latest and default access',
          [],
          ['Publishing to https://registry.npmjs.org/ with tag latest'],
        ),
      () => c({ NPM_CONFIG_LOGLEVEL: 'warn', npm_token_scope: 'automation' }, [], ['automation']),
    ],
  },
  'secrets-saas-ai': {
    surface: 'env, config, logs',
    anchor:
      'gitleaks heroku, flyio, doppler, shopify, databricks, vault, pulumi, linear, openai, anthropic, huggingface, sentry, grafana, postman, newrelic, age',
    count: 24,
    pos: [
      () => {
        const k = `sk-proj-${b64url(48)}T3BlbkFJ${b64url(48)}`;
        return c({ OPENAI_API_KEY: k, model: 'gpt-4o' }, [k], ['gpt-4o']);
      },
      () => {
        const k = `sk-ant-api03-${b64url(93)}AA`;
        return c(`anthropic client init key=${k}`, [k], ['anthropic client init']);
      },
      () => {
        const k = `hf_${alnum(34)}`;
        return c(`huggingface-cli login --token ${k}`, [k], ['huggingface-cli login']);
      },
      () => {
        const k = `shpat_${hex(32)}`;
        return c({ shopify: { shop: 'acme.myshopify.com', access_token: k } }, [k], ['acme.myshopify.com']);
      },
      () => {
        const k = `dapi${hex(32)}`;
        return c(`DATABRICKS_TOKEN=${k}`, [k], ['DATABRICKS_TOKEN=']);
      },
      () => {
        const k = `hvs.${b64url(90)}`;
        return c(
          { VAULT_TOKEN: k, VAULT_ADDR: 'https://vault.internal:8200' },
          [k],
          ['https://vault.internal:8200'],
        );
      },
      () => {
        const k = `pul-${hex(40)}`;
        return c(`pulumi login with ${k}`, [k], []);
      },
      () => {
        const k = `lin_api_${alnum(40)}`;
        return c({ linear_key: k }, [k], []);
      },
      () => {
        const k = `fo1_${b64url(43)}`;
        return c(`FLY_API_TOKEN=${k}`, [k], []);
      },
      () => {
        const k = `dp.pt.${alnum(43)}`;
        return c({ DOPPLER_TOKEN: k }, [k], []);
      },
      () => {
        const k = `sntrys_${b64chars(60)}`;
        return c(`SENTRY_AUTH_TOKEN=${k}`, [k], ['SENTRY_AUTH_TOKEN=']);
      },
      () => {
        const k = uuid();
        return c({ HEROKU_API_KEY: k, HEROKU_APP: 'shop-prod' }, [k], ['shop-prod']);
      },
      () => {
        const k = `PMAK-${hex(24)}-${hex(34)}`;
        return c(`postman api key ${k}`, [k], []);
      },
      () => {
        const k = `NRAK-${upperAlnum(27)}`;
        return c({ NEW_RELIC_API_KEY: k }, [k], []);
      },
      () => {
        const k = `AGE-SECRET-KEY-1${upperAlnum(58)}`;
        return c(`# created: 2026-01-02\n${k}`, [k], ['# created: 2026-01-02']);
      },
      () => {
        const k = `glsa_${alnum(32)}_${hex(8)}`;
        return c({ GRAFANA_SERVICE_ACCOUNT_TOKEN: k }, [k], []);
      },
    ],
    neg: [
      () => {
        const v = `https://${hex(32)}@o${digits(6)}.ingest.sentry.io/${digits(7)}`;
        return c({ SENTRY_DSN: v }, [], [`.ingest.sentry.io/`]);
      },
      () => c({ model: 'gpt-4o-mini', max_tokens: 512, temperature: 0.2 }, [], ['gpt-4o-mini', '512']),
      () => c({ HEROKU_APP: 'shop-staging', DYNO: 'web.1', PORT: '5000' }, [], ['shop-staging', 'web.1']),
      () => {
        const v = `gid://shopify/Order/${digits(13)}`;
        return c({ admin_graphql_api_id: v }, [], [v]);
      },
      () =>
        c(
          'openai.RateLimitError: Rate limit reached for gpt-4o in organization org-abc on tokens per min (TPM)',
          [],
          ['Rate limit reached for gpt-4o'],
        ),
      () => {
        const v = `${uuid()}`;
        return c({ huggingface_model_revision: 'main', dataset_id: v }, [], [v]);
      },
      () =>
        c({ VAULT_ADDR: 'https://vault.internal:8200', VAULT_NAMESPACE: 'admin/shop' }, [], ['admin/shop']),
      () => {
        const v = `sk-${digits(4)}`;
        return c({ stock_keeping_unit: v }, [], [v]);
      },
    ],
  },
  'private-keys-pem': {
    surface: 'config, logs, JSON strings',
    anchor:
      'gitleaks private-key; detect-secrets PrivateKeyDetector; public keys and certificates are not secrets',
    pos: [
      () => {
        const k = privateKey('RSA');
        return c(k.pem, [k.lines[0], k.lines[3]], []);
      },
      () => {
        const k = privateKey('EC');
        return c({ signing_key: k.pem, kid: `key-${digits(4)}` }, [k.lines[1], k.lines[4]], []);
      },
      () => {
        const k = privateKey('OPENSSH');
        return c(`deploy key loaded:\n${k.pem}\n(end)`, [k.lines[2], k.lines[5]], ['deploy key loaded:']);
      },
      () => {
        const k = privateKey('PKCS8');
        return c(
          { config: JSON.stringify({ tls: { key: k.pem, port: 8443 } }) },
          [k.lines[1], k.lines[5]],
          [],
        );
      },
      () => {
        const k = privateKey('RSA');
        return c(`JWT_PRIVATE_KEY="${k.pem.replace(/\n/g, '\\n')}"`, [k.lines[1], k.lines[2]], []);
      },
      () => {
        const k = privateKey('PKCS8');
        const cut = k.pem.split('\n').slice(0, 4).join('\n');
        return c(
          { message: `ValueError: Could not deserialize key data: ${cut}`, truncated: true },
          [k.lines[1], k.lines[2]],
          ['Could not deserialize key data'],
        );
      },
      () => {
        const body = Array.from({ length: 5 }, () => b64chars(64));
        return c(
          `-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBF${b64chars(58)}\n${body.join('\n')}\n-----END PGP PRIVATE KEY BLOCK-----`,
          [body[0], body[3]],
          [],
        );
      },
      () => {
        const k = privateKey('EC');
        return c({ env: { APNS_KEY: k.pem.replace(/\n/g, '\\n') } }, [k.lines[2], k.lines[3]], []);
      },
    ],
    neg: [
      () => {
        const l = pemLines('MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA', 5);
        return c(`-----BEGIN PUBLIC KEY-----\n${l.join('\n')}\n-----END PUBLIC KEY-----`, [], [l[1], l[3]]);
      },
      () => {
        const l = pemLines('MIIDdzCCAl+gAwIBAgIE', 6);
        return c(
          { ca_cert: `-----BEGIN CERTIFICATE-----\n${l.join('\n')}\n-----END CERTIFICATE-----` },
          [],
          [l[2], l[4]],
        );
      },
      () => {
        const v = `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${b64chars(43)} deploy@ci`;
        return c({ authorized_key: v }, [], [v.slice(0, 60)]);
      },
      () => {
        const v = `ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ${b64chars(120)}`;
        return c(v, [], [v.slice(0, 90)]);
      },
      () => {
        const v = `SHA256:${b64chars(43)}`;
        return c(`Host key fingerprint is ${v}`, [], [v]);
      },
      () =>
        c(
          { jwks_uri: 'https://auth.example.com/.well-known/jwks.json', kid: 'sig-2026-01' },
          [],
          ['https://auth.example.com/.well-known/jwks.json', 'sig-2026-01'],
        ),
      () => {
        const n = b64url(86);
        return c({ keys: [{ kty: 'RSA', use: 'sig', kid: 'k1', e: 'AQAB', n }] }, [], [n]);
      },
      () =>
        c('private_key_path=/etc/ssl/private/shop.key loaded (mode 0600)', [], ['/etc/ssl/private/shop.key']),
    ],
  },
  'json-key-files': {
    surface: 'JSON key files as objects and as strings',
    anchor: 'gitleaks gcp-service-account; detect-secrets PrivateKeyDetector inside JSON',
    count: 16,
    pos: [
      () => {
        const k = privateKey('PKCS8');
        const id = hex(40);
        const proj = `shop-${lowerAlnum(6)}`;
        return c(
          {
            type: 'service_account',
            project_id: proj,
            private_key_id: id,
            private_key: `${k.pem}\n`,
            client_email: `uploader@${proj}.iam.gserviceaccount.com`,
            client_id: digits(21),
            token_uri: 'https://oauth2.googleapis.com/token',
          },
          [k.lines[1], k.lines[4], id],
          [proj, 'https://oauth2.googleapis.com/token'],
        );
      },
      () => {
        const k = privateKey('PKCS8');
        const id = hex(40);
        return c(
          JSON.stringify({
            type: 'service_account',
            project_id: 'vigil-prod',
            private_key_id: id,
            private_key: `${k.pem}\n`,
          }),
          [k.lines[2], id],
          ['vigil-prod'],
        );
      },
      () => {
        const k = privateKey('PKCS8');
        return c(
          {
            message: 'loading GOOGLE_APPLICATION_CREDENTIALS',
            credentials: JSON.stringify({ private_key: k.pem }),
          },
          [k.lines[3]],
          ['loading GOOGLE_APPLICATION_CREDENTIALS'],
        );
      },
      () => {
        const k = privateKey('EC');
        const s = b64url(40);
        return c(
          { apple: { team_id: 'A1B2C3D4E5', key_id: 'ZZ9Y8X7W6V', private_key: k.pem, client_secret: s } },
          [k.lines[1], s],
          ['A1B2C3D4E5'],
        );
      },
    ],
    neg: [
      () =>
        c(
          {
            type: 'service_account',
            project_id: 'vigil-staging',
            token_uri: 'https://oauth2.googleapis.com/token',
            auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
          },
          [],
          ['vigil-staging', 'https://www.googleapis.com/oauth2/v1/certs'],
        ),
      () =>
        c(
          'GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/google/key.json',
          [],
          ['/var/secrets/google/key.json'],
        ),
      () => {
        const d = digits(21);
        return c({ client_id: d, universe_domain: 'googleapis.com' }, [], [d]);
      },
      () =>
        c(
          {
            installed: {
              redirect_uris: ['http://localhost'],
              auth_uri: 'https://accounts.google.com/o/oauth2/auth',
            },
          },
          [],
          ['https://accounts.google.com/o/oauth2/auth'],
        ),
    ],
  },
  'database-urls': {
    surface: 'env, config, logs, exceptions',
    anchor: 'gitleaks generic URL credentials; detect-secrets BasicAuthDetector; SQLAlchemy/Django URL forms',
    count: 24,
    pos: [
      () => {
        const p = password();
        return c(`DATABASE_URL=postgres://shop:${p}@db.internal:5432/shop`, [p], ['db.internal:5432/shop']);
      },
      () => {
        const p = password();
        return c(
          { url: `postgresql+psycopg2://app:${encodeURIComponent(p)}@10.0.3.7/orders` },
          [encodeURIComponent(p)],
          ['/orders'],
        );
      },
      () => {
        const p = password();
        return c(
          `sqlalchemy.exc.OperationalError: (pymysql.err.OperationalError) connection to mysql+pymysql://root:${p}@mysql:3306/app failed`,
          [p],
          ['mysql:3306/app'],
        );
      },
      () => {
        const p = alnum(16);
        return c(
          {
            MONGO_URI: `mongodb+srv://atlas-user:${p}@cluster0.ab1cd.mongodb.net/shop?retryWrites=true&w=majority`,
          },
          [p],
          ['cluster0.ab1cd.mongodb.net/shop'],
        );
      },
      () => {
        const p = alnum(20);
        return c(`CELERY_BROKER_URL=redis://:${p}@redis-master:6379/0`, [p], ['redis-master:6379/0']);
      },
      () => {
        const p = alnum(14);
        return c({ broker: `amqp://guest:${p}@rabbitmq.internal:5672/%2F` }, [p], ['rabbitmq.internal:5672']);
      },
      () => {
        const p = password();
        return c(
          `mssql+pyodbc://sa:${p}@sqlserver:1433/erp?driver=ODBC+Driver+18+for+SQL+Server`,
          [p],
          ['sqlserver:1433/erp'],
        );
      },
      () => {
        const p = alnum(12);
        return c(
          { dsn: `oracle+cx_oracle://scott:${p}@orahost:1521/?service_name=ORCLPDB1` },
          [p],
          ['service_name=ORCLPDB1'],
        );
      },
      () => {
        const p = password();
        return c(
          `jdbc:postgresql://pg.internal:5432/ledger?user=ledger&password=${encodeURIComponent(p)}&ssl=true`,
          [encodeURIComponent(p)],
          ['ssl=true'],
        );
      },
      () => {
        const p = alnum(18);
        return c(
          { CLICKHOUSE_URL: `clickhouse://default:${p}@ch.internal:9000/analytics` },
          [p],
          ['ch.internal:9000/analytics'],
        );
      },
      () => {
        const p = alnum(22);
        return c(`rediss://default:${p}@cache-prod.upstash.io:6379`, [p], ['cache-prod.upstash.io:6379']);
      },
      () => {
        const p = password();
        return c(
          {
            DATABASES: {
              default: {
                ENGINE: 'django.db.backends.postgresql',
                NAME: 'shop',
                USER: 'shop',
                PASSWORD: p,
                HOST: 'db',
              },
            },
          },
          [p],
          ['django.db.backends.postgresql'],
        );
      },
    ],
    neg: [
      () => c('DATABASE_URL=postgres://db.internal:5432/shop', [], ['postgres://db.internal:5432/shop']),
      () => c({ REDIS_URL: 'redis://localhost:6379/0' }, [], ['redis://localhost:6379/0']),
      () => c('sqlite:////var/lib/app/db.sqlite3', [], ['sqlite:////var/lib/app/db.sqlite3']),
      () =>
        c(
          {
            ENGINE: 'django.db.backends.postgresql',
            NAME: 'shop',
            HOST: 'db',
            PORT: '5432',
            CONN_MAX_AGE: 60,
          },
          [],
          ['django.db.backends.postgresql', '5432'],
        ),
      () =>
        c(
          'connected to postgresql://replica-2.internal:5432/orders (pool 10/20)',
          [],
          ['postgresql://replica-2.internal:5432/orders', 'pool 10/20'],
        ),
      () =>
        c(
          { mongo: 'mongodb://mongo-0.mongo:27017,mongo-1.mongo:27017/?replicaSet=rs0' },
          [],
          ['mongodb://mongo-0.mongo:27017,mongo-1.mongo:27017/?replicaSet=rs0'],
        ),
      () => c('amqp://rabbitmq:5672/ vhost=/ heartbeat=60', [], ['amqp://rabbitmq:5672/']),
      () =>
        c(
          'psycopg2.OperationalError: could not connect to server: Connection refused. Is the server running on host "db" (172.18.0.3) and accepting TCP/IP connections on port 5432?',
          [],
          ['could not connect to server: Connection refused', 'port 5432'],
        ),
      () => c({ DB_HOST: 'db', DB_PORT: 5432, DB_NAME: 'shop', DB_USER: 'shop_app' }, [], ['shop_app']),
      () =>
        c(
          'jdbc:postgresql://pg.internal:5432/ledger?ssl=true&sslmode=verify-full',
          [],
          ['jdbc:postgresql://pg.internal:5432/ledger?ssl=true&sslmode=verify-full'],
        ),
    ],
  },
  'framework-secret-keys': {
    surface: 'settings.py, .env, Flask config, logs',
    anchor:
      'Django SECRET_KEY, Flask SECRET_KEY / app.secret_key, Rails secret_key_base; detect-secrets KeywordDetector',
    pos: [
      () => {
        const k = `django-insecure-${djangoKey()}`;
        return c(`SECRET_KEY = '${k}'\nDEBUG = True`, [k], ['DEBUG = True']);
      },
      () => {
        const k = djangoKey();
        return c(`DJANGO_SECRET_KEY=${k}`, [k], ['DJANGO_SECRET_KEY=']);
      },
      () => {
        const k = hex(48);
        return c(`app.config['SECRET_KEY'] = '${k}'`, [k], ["app.config['SECRET_KEY']"]);
      },
      () => {
        const k = b64chars(32);
        return c(`app.secret_key = b'${k}'`, [k], ['app.secret_key']);
      },
      () => {
        const k = hex(128);
        return c({ secret_key_base: k, RAILS_ENV: 'production' }, [k], ['production']);
      },
      () => {
        const k = b64url(43);
        return c(`NEXTAUTH_SECRET="${k}"`, [k], ['NEXTAUTH_SECRET']);
      },
      () => {
        const k = alnum(32);
        return c({ JWT_SECRET: k, JWT_EXPIRES_IN: '15m' }, [k], ['15m']);
      },
      () => {
        const k = djangoKey();
        return c(
          { settings: { SECRET_KEY: k, ALLOWED_HOSTS: ['shop.example.com'] } },
          [k],
          ['shop.example.com'],
        );
      },
      () => {
        const k = hex(64);
        return c(`FLASK_SECRET_KEY: "${k}"`, [k], []);
      },
      () => {
        const k = b64chars(44);
        return c(`SESSION_SECRET=${k} SESSION_COOKIE_SECURE=true`, [k], ['SESSION_COOKIE_SECURE=true']);
      },
    ],
    neg: [
      () =>
        c(
          'DEBUG = False\nALLOWED_HOSTS = ["shop.example.com"]\nTIME_ZONE = "Asia/Dhaka"',
          [],
          ['ALLOWED_HOSTS = ["shop.example.com"]', 'Asia/Dhaka'],
        ),
      () => c({ SECRET_KEY_FALLBACKS: [], SESSION_COOKIE_AGE: 1209600 }, [], ['1209600']),
      () =>
        c(
          'django.core.exceptions.ImproperlyConfigured: The SECRET_KEY setting must not be empty.',
          [],
          ['The SECRET_KEY setting must not be empty.'],
        ),
      () =>
        c(
          { SECURE_HSTS_SECONDS: 31536000, CSRF_COOKIE_SECURE: true, SECURE_SSL_REDIRECT: true },
          [],
          ['31536000'],
        ),
      () => c('SECRET_KEY loaded from env (length 50)', [], ['SECRET_KEY loaded from env (length 50)']),
      () =>
        c(
          { JWT_ALGORITHM: 'RS256', JWT_ISSUER: 'https://auth.example.com/' },
          [],
          ['RS256', 'https://auth.example.com/'],
        ),
      () => c("WSGI_APPLICATION = 'shop.wsgi.application'", [], ["'shop.wsgi.application'"]),
      () => c({ FLASK_ENV: 'production', FLASK_APP: 'app:create_app' }, [], ['app:create_app']),
      () => c({ ROOT_URLCONF: 'shop.urls', LANGUAGE_CODE: 'bn' }, [], ['shop.urls']),
      () => c("INSTALLED_APPS += ['django_prometheus']", [], ["'django_prometheus'"]),
    ],
  },
  'auth-headers-tokens': {
    surface: 'text, JSON, log lines',
    anchor: 'gitleaks jwt, generic bearer; detect-secrets JwtTokenDetector, BasicAuthDetector',
    pos: [
      () => {
        const t = jwt();
        return c(`Authorization: Bearer ${t}`, [t], ['Authorization']);
      },
      () => {
        const t = jwt();
        return c({ id_token: t, token_type: 'Bearer', expires_in: 3600 }, [t], ['3600']);
      },
      () => {
        const t = jwt();
        return c(
          `token verification failed for ${t}: signature mismatch`,
          [t.split('.')[1]],
          ['signature mismatch'],
        );
      },
      () => {
        const up = Buffer.from(`admin:${password()}`).toString('base64');
        return c(`Authorization: Basic ${up}\nAccept: */*`, [up], ['Accept: */*']);
      },
      () => {
        const t = b64url(40);
        return c({ headers: { Authorization: `Bearer ${t}` } }, [t], []);
      },
      () => {
        const t = jwt();
        return c(`GET /api/me?access_token=${t} 401`, [t], ['/api/me']);
      },
      () => {
        const t = `${hex(8)}${digits(6)}${alnum(20)}`;
        return c(
          `curl -H "Authorization: Token ${t}" https://api.example.com/v1/orders`,
          [t],
          ['https://api.example.com/v1/orders'],
        );
      },
      () => {
        const t = jwt();
        return c({ cookies: `jwt=${t}` }, [t.split('.')[2]], []);
      },
      () => {
        const up = Buffer.from(`svc-reports:${password()}`).toString('base64');
        return c({ 'proxy-authorization': `Basic ${up}` }, [up], []);
      },
      () => {
        const t = alnum(32);
        return c(`X-Auth-Token: ${t}\nAccept: application/json`, [t], ['Accept: application/json']);
      },
    ],
    neg: [
      () => c('the bearer of bad news gets the ticket', [], ['the bearer of bad news']),
      () =>
        c(
          { token_type: 'Bearer', expires_in: 3600, scope: 'openid profile' },
          [],
          ['Bearer', 'openid profile'],
        ),
      () =>
        c(
          'WWW-Authenticate: Bearer realm="api", error="invalid_token"',
          [],
          ['WWW-Authenticate: Bearer realm="api", error="invalid_token"'],
        ),
      () => c({ auth_scheme: 'Basic', realm: 'Admin Area' }, [], ['Admin Area']),
      () => {
        const v = jwtPart({ alg: 'RS256', kid: 'k1' });
        return c({ jwt_header_example: v.slice(0, 8) }, [], [v.slice(0, 8)]);
      },
      () => c('token expired at 2026-12-07T10:00:00Z, refreshing', [], ['2026-12-07T10:00:00Z']),
      () => c({ max_tokens: 4096, tokens_used: 1532, token_limit: 8000 }, [], ['4096', '1532', '8000']),
      () => c('Authorization header missing', [], ['Authorization header missing']),
      () => c({ csrf_header_name: 'X-CSRFToken', auth: 'session' }, [], ['X-CSRFToken']),
      () =>
        c(
          '401 Unauthorized: Bearer token required for /api/admin',
          [],
          ['Bearer token required for /api/admin'],
        ),
    ],
  },
  'credentials-by-key': {
    surface: 'JSON, repr, key=value',
    anchor:
      'Sentry Relay default sensitive fields (password, secret, passwd, api_key, apikey, auth, credentials, mysql_pwd, privatekey, private_key, token, session, ...); detect-secrets KeywordDetector',
    count: 30,
    pos: [
      () => {
        const v = password();
        return c({ username: 'rahim_u', password: v }, [v], ['rahim_u']);
      },
      () => {
        const v = password();
        return c(`passwd=${v} user=deploy`, [v], ['user=deploy']);
      },
      () => {
        const v = alnum(12);
        return c({ pwd: v }, [v], []);
      },
      () => {
        const v = alnum(28);
        return c({ client_secret: v, client_id: 'shop-web' }, [v], ['shop-web']);
      },
      () => {
        const v = lowerAlnum(32);
        return c({ apikey: v }, [v], []);
      },
      () => {
        const v = alnum(24);
        return c({ 'X-API-KEY': v }, [v], []);
      },
      () => {
        const v = b64url(48);
        return c({ refresh_token: v, expires_in: 1209600 }, [v], ['1209600']);
      },
      () => {
        const v = lowerAlnum(32);
        return c({ sessionid: v }, [v], []);
      },
      () => {
        const v = String(int(100000, 999999));
        return c({ otp: v, channel: 'sms' }, [v], ['sms']);
      },
      () => {
        const v = String(int(1000, 9999));
        return c({ pin: v, attempts: 1 }, [v], []);
      },
      () => {
        const v = String(int(100, 999));
        return c({ card: { cvv: v, brand: 'visa' } }, [v], ['visa']);
      },
      () => {
        const v = alnum(20);
        return c({ mysql_pwd: v }, [v], []);
      },
      () => {
        const v = password();
        return c({ credentials: { user: 'backup', pass: v } }, [v], []);
      },
      () => {
        const v = alnum(40);
        return c({ auth: v }, [v], []);
      },
      () => {
        const v = `${password()} ${password()}`;
        return c({ passphrase: v }, [v], []);
      },
    ],
    neg: [
      () => {
        const d = isoTime();
        return c({ password_changed_at: d }, [], [d]);
      },
      () => c({ max_tokens: 1024, token_type: 'access' }, [], ['1024', 'access']),
      () => c({ secret_name: 'prod/db/password', rotation_days: 30 }, [], ['prod/db/password']),
      () => {
        const v = `key_${digits(6)}`;
        return c({ api_key_id: v }, [], [v]);
      },
      () => c({ has_password: true, password_policy: 'min12-upper-digit' }, [], ['min12-upper-digit']),
      () => c({ otp_length: 6, otp_ttl_seconds: 300 }, [], ['300']),
      () => c({ pin_attempts_left: 2, locked: false }, [], ['pin_attempts_left']),
      () => c({ auth_method: 'password', mfa: 'totp' }, [], ['totp']),
      () => c({ session_count: 4, session_timeout_minutes: 30 }, [], ['session_count']),
      () => c({ author: 'Nusrat', token_count: 381 }, [], ['Nusrat', '381']),
      () =>
        c(
          'password_reset_requested=true reset_link_ttl=3600',
          [],
          ['password_reset_requested=true', 'reset_link_ttl=3600'],
        ),
      () => c({ secret_santa_group: 'Ops Team', keyboard_layout: 'bijoy' }, [], ['Ops Team', 'bijoy']),
      () =>
        c(
          { credentials_provider: 'aws-sso', credentials_expiry: '2026-12-07T18:00:00Z' },
          [],
          ['aws-sso', '2026-12-07T18:00:00Z'],
        ),
      () =>
        c(
          {
            token_endpoint: 'https://auth.example.com/oauth/token',
            authorize_url: 'https://auth.example.com/oauth/authorize',
          },
          [],
          ['https://auth.example.com/oauth/token'],
        ),
      () =>
        c(
          'forgot password? click "Reset password" on the sign-in page',
          [],
          ['forgot password?', 'Reset password'],
        ),
    ],
  },
};

/** An ISO date (used inside a template string above). */
function dateLike() {
  return `2026-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`;
}
