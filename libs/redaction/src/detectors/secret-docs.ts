import type { EntityDoc } from '../entity-docs';

const BOTH = ['gitleaks', 'detect-secrets'] as const;
const GITLEAKS = ['gitleaks'] as const;

/** An entity found by its context (a name, a host): the guard says what stays. */
const doc = (
  kind: string,
  name: string,
  detection: string,
  guard: string,
  anchors: readonly string[],
): EntityDoc => ({
  kind,
  name,
  detection,
  guard,
  strategy: 'remove',
  anchors,
});

/** A provider token found by its prefix: the shape is the guard. */
const token = (
  kind: string,
  name: string,
  detection: string,
  anchors: readonly string[] = GITLEAKS,
): EntityDoc => ({
  kind,
  name,
  detection: `value: ${detection}`,
  guard: 'the fixed prefix and length; word boundaries on both sides',
  strategy: 'remove',
  anchors,
});

/** What the secret detectors find, for the README table and `vigil-redaction explain`. */
export const SECRET_ENTITY_DOCS: readonly EntityDoc[] = [
  doc(
    'private_key',
    'private key',
    'value: `-----BEGIN … PRIVATE KEY-----` (RSA, EC, DSA, OPENSSH, ENCRYPTED, PGP … BLOCK), `---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----`, PuTTY key files; to the END line or the end of a cut string; also with `\\n` escapes inside JSON (GCP service-account files)',
    '`PUBLIC KEY`, `CERTIFICATE` and `ssh-rsa …` public keys are kept',
    BOTH,
  ),
  doc(
    'url_password',
    'URL / connection-string password',
    'value: the password of `scheme://user:password@host` for every driver (`postgresql+psycopg2`, `mongodb+srv`, `rediss`, `amqps`, `mssql`, `oracle`, `clickhouse`, `jdbc:…`), also holding an unencoded `@`; `jdbc:oracle:thin:user/password@host`',
    'scheme, user, host, port and database are kept (marker `[REDACTED]`)',
    ['vigil', 'detect-secrets'],
  ),
  token(
    'aws_access_key',
    'AWS access key id',
    '`AKIA`/`ASIA`/`ABIA`/`ACCA`/`A3T…` (and IAM `AGPA`, `AIDA`, `AROA`, `AIPA`, `ANPA`, `ANVA`) + 16 capitals or digits',
    BOTH,
  ),
  doc(
    'aws_secret_key',
    'AWS secret access key',
    'value: 40 base64 characters after `aws_secret_access_key` / `secret_access_key` / `aws_secret_key`',
    'only next to its name (40 random characters alone are not told apart from a digest)',
    BOTH,
  ),
  token(
    'github_token',
    'GitHub token',
    '`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` + 36, `github_pat_` + 22 or more',
    BOTH,
  ),
  token(
    'gitlab_token',
    'GitLab token',
    '`glpat-` (also routable), `gldt-`, `glft-`, `glsoat-`, `glrt-`, `glcbt-`, `glimt-`, `glptt-`, `glagent-`, `gloas-`, `glffct-`, runner registration `GR1348941…`',
    BOTH,
  ),
  token(
    'slack_token',
    'Slack token',
    '`xoxb-`, `xoxp-`, `xoxa-`, `xoxo-`, `xoxs-`, `xoxr-`, `xoxe-`, `xoxe.xoxp-`, app tokens `xapp-<n>-…`',
    BOTH,
  ),
  doc(
    'slack_webhook',
    'Slack webhook URL',
    'value: the path after `hooks.slack.com/services|workflows|triggers/`',
    'the host stays',
    BOTH,
  ),
  token(
    'stripe_key',
    'Stripe secret key',
    '`sk_live_`, `sk_test_`, `rk_live_`, `rk_test_`, `…_prod_`, webhook secrets `whsec_`',
    BOTH,
  ),
  token('openai_key', 'OpenAI API key', '`sk-proj-`, `sk-svcacct-`, `sk-admin-`, `sk-…T3BlbkFJ…`', BOTH),
  token('anthropic_key', 'Anthropic API key', '`sk-ant-api03-…`, `sk-ant-admin01-…`'),
  token('google_api_key', 'Google API key', '`AIza` + 35'),
  token(
    'google_oauth_token',
    'Google OAuth client secret / access token',
    '`GOCSPX-…`, `ya29.…` (client ids `….apps.googleusercontent.com` are kept)',
  ),
  token('sendgrid_key', 'SendGrid API key', '`SG.` + 22 + `.` + 43', BOTH),
  token(
    'twilio_key',
    'Twilio API key',
    '`SK` + 32 hex (account SIDs `AC…` name the account and are kept)',
    BOTH,
  ),
  token(
    'mailgun_key',
    'Mailgun API key',
    '`key-` + 32 hex, in text that names Mailgun; keys named `MAILGUN_…`',
  ),
  token('mailchimp_key', 'Mailchimp API key', '32 hex + `-us<n>`', BOTH),
  token('npm_token', 'npm access token', '`npm_` + 36 (also `:_authToken=` by its key)', BOTH),
  token('pypi_token', 'PyPI upload token', '`pypi-AgEIcHlwaS5vcmc…` (pypi.org and test.pypi.org)', BOTH),
  token('docker_token', 'Docker Hub access token', '`dckr_pat_…`, `dckr_oat_…`'),
  token('heroku_key', 'Heroku API key', '`HRKU-AA` + 58; keys named `HEROKU_…`'),
  token('digitalocean_token', 'DigitalOcean token', '`dop_v1_`, `doo_v1_`, `dor_v1_` + 64 hex'),
  token('shopify_token', 'Shopify token', '`shpat_`, `shpca_`, `shppa_`, `shpss_` + 32 hex'),
  token('square_token', 'Square token', '`EAAA…`, `sq0atp-…`, `sq0csp-…`', BOTH),
  token('paypal_braintree_token', 'PayPal Braintree access token', '`access_token$production$…$…`'),
  token(
    'discord_token',
    'Discord bot token / webhook',
    'bot tokens `[MNO]…(24).…(6).…(27)`; the token of `discord.com/api/webhooks/<id>/<token>`',
    ['detect-secrets', 'gitleaks'],
  ),
  token(
    'telegram_bot_token',
    'Telegram bot token',
    '8–10 digits `:` `A` + 33 or 34 (also inside `/bot<token>/` URLs)',
    BOTH,
  ),
  token('hashicorp_token', 'Vault / Terraform Cloud token', '`hvs.…`, `hvb.…`, `<14>.atlasv1.…`'),
  token('databricks_token', 'Databricks token', '`dapi` + 32 hex'),
  token('linear_key', 'Linear API key', '`lin_api_…`, `lin_oauth_…`'),
  token(
    'atlassian_token',
    'Atlassian API token / Bitbucket app password',
    '`ATATT3…`, `ATBB` + 32; keys named `JIRA_…`, `CONFLUENCE_…`, `ATLASSIAN_…`',
  ),
  token(
    'new_relic_key',
    'New Relic key',
    '`NRAK-`, `NRII-`, `NRJS-`, `NRRA-`, license keys ending `NRAL`; keys named `NEW_RELIC_…`',
  ),
  doc(
    'datadog_key',
    'Datadog API / application key',
    'key: a name with `datadog` or `dd` and `key` (`DD_APP_KEY`, `DATADOG_APPLICATION_KEY`)',
    'a bare value must look generated (letters and digits, 8+ characters)',
    GITLEAKS,
  ),
  token(
    'sentry_token',
    'Sentry auth token',
    '`sntryu_…`, `sntrys_eyJ…`; keys named `SENTRY_…` (DSN public keys are kept)',
  ),
  token('huggingface_token', 'Hugging Face token', '`hf_` + 34 letters, `api_org_` + 34 letters'),
  token('grafana_token', 'Grafana token', '`glsa_…`, `glc_…`, `eyJrIjoi…`'),
  token('django_secret_key', "Django's generated SECRET_KEY", '`django-insecure-…`', ['vigil']),
  token(
    'provider_token',
    'other provider tokens',
    "the rest of gitleaks' prefixed rules: 1Password, Adobe, age, Airtable, Alibaba, Artifactory, Bedrock, CircleCI (`CCIPAT_`), ClickHouse Cloud, Clojars, Cloudflare origin CA, Doppler, Duffel, Dynatrace, EasyPost, Facebook (page tokens, `<app id>|<secret>`), FCM, Flutterwave, Fly.io, Frame.io, Harness, Infracost, Intra42, Mapbox `sk.` (`pk.` is kept), MaxMind, Notion, Octopus, OpenShift, Perplexity, PlanetScale, Postman, Prefect, Pulumi, ReadMe, RubyGems, Scalingo, Brevo, SettleMint, Shippo, Twitter bearer tokens (`A` × 22 …)",
  ),
  doc(
    'azure_storage_key',
    'Azure storage account key',
    'value: the base64 key after `AccountKey=` in a connection string',
    'only after its name; `AccountName` and endpoints stay',
    ['detect-secrets'],
  ),
  doc(
    'azure_sas_token',
    'Azure SAS signature',
    'value: `sig=…` in a URL or token that also has `sv=`',
    'the other SAS fields (expiry, permissions) stay',
    ['vigil'],
  ),
  token('azure_client_secret', 'Azure AD client secret', '3 characters, a digit, `Q~`, 31–34 characters'),
  doc(
    'teams_webhook',
    'Microsoft Teams webhook URL',
    'value: the path after `.webhook.office.com/webhookb2/`',
    'the host stays',
    GITLEAKS,
  ),
];
