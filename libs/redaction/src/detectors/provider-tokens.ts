/**
 * Credentials a provider marks with a fixed prefix (or suffix), so the value alone says what it is:
 * gitleaks' `config/gitleaks.toml` rules that need no key context, and detect-secrets' prefix plugins
 * (`detect_secrets/plugins/*.py`). All of them are one combined regex, run only when the cheap
 * `PROVIDER_PREFIX` test finds one of the prefixes; a capture group per kind says which one matched.
 */

/** One provider format: the kind it is reported as and its regex source (no capture groups). */
interface TokenRule {
  kind: string;
  source: string;
}

/**
 * Formats delimited by word boundaries on both sides (`[\w-]` is neither before nor after the token).
 * Lengths are bounded: every start reads a bounded number of characters.
 */
const WORD_TOKENS: readonly TokenRule[] = [
  // gitleaks aws-access-token; detect-secrets aws.py (plus the IAM id prefixes of earlier versions here)
  {
    kind: 'aws_access_key',
    source: '(?:A3T[A-Z0-9]|A(?:KIA|SIA|BIA|CCA|GPA|IDA|ROA|IPA|NPA|NVA))[A-Z0-9]{16}',
  },
  // gitleaks github-pat, -oauth, -app-token, -refresh-token, -fine-grained-pat
  { kind: 'github_token', source: 'gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_\\w{22,255}' },
  // gitleaks gitlab-* (pat, routable pat, deploy, feed, runner, CI job, SCIM, agent, OAuth secret, ...)
  {
    kind: 'gitlab_token',
    source:
      'gl(?:pat|dt|ft|soat|rt|cbt|imt|ptt|agent|oas|ffct)-[\\w-]{20,300}(?:\\.[0-9a-z]{9})?|GR1348941[\\w-]{20,50}',
  },
  // gitleaks slack-bot/user/app/config tokens; detect-secrets slack.py
  {
    kind: 'slack_token',
    source: 'xox(?:e\\.xox)?[abposre]-[A-Za-z0-9-]{10,250}|xapp-\\d-[A-Za-z0-9-]{10,250}',
  },
  // gitleaks stripe-access-token (secret and restricted keys; publishable `pk_` keys are public)
  {
    kind: 'stripe_key',
    source: '(?:sk|rk)_(?:live|test|prod)_[A-Za-z0-9]{10,250}|whsec_[A-Za-z0-9]{20,250}',
  },
  // gitleaks anthropic-api-key, anthropic-admin-api-key (before OpenAI's wider `sk-`)
  { kind: 'anthropic_key', source: 'sk-ant-(?:api|admin|sid)\\d\\d-[\\w-]{20,300}' },
  // gitleaks openai-api-key; detect-secrets openai.py (`T3BlbkFJ` is "OpenAI" in base64)
  {
    kind: 'openai_key',
    source:
      'sk-(?:proj|svcacct|admin|None)-[\\w-]{20,300}|sk-[A-Za-z0-9_-]{0,80}T3BlbkFJ[A-Za-z0-9_-]{20,200}',
  },
  // gitleaks gcp-api-key
  { kind: 'google_api_key', source: 'AIza[\\w-]{35}' },
  // Google OAuth client secrets (`GOCSPX-`) and access tokens (`ya29.`)
  { kind: 'google_oauth_token', source: 'GOCSPX-[\\w-]{24,40}|ya29\\.[\\w-]{20,2048}' },
  // gitleaks sendgrid-api-token; detect-secrets sendgrid.py
  { kind: 'sendgrid_key', source: 'SG\\.[\\w-]{22}\\.[\\w-]{43}' },
  // gitleaks twilio-api-key. Not detect-secrets' account SIDs (`AC…`): an account SID names the account
  // (it is in every webhook body and API path, like a user name) and is no credential by itself.
  { kind: 'twilio_key', source: 'SK[0-9a-f]{32}' },
  // detect-secrets mailchimp.py; gitleaks mailchimp-api-key (32 hex and the data centre)
  { kind: 'mailchimp_key', source: '[0-9a-f]{32}-us\\d{1,2}' },
  // gitleaks mailgun-private-api-token (reported only when the text names Mailgun: `key-` says little)
  { kind: 'mailgun_key', source: 'key-[0-9a-f]{32}' },
  // gitleaks npm-access-token
  { kind: 'npm_token', source: 'npm_[A-Za-z0-9]{36}' },
  // gitleaks pypi-upload-token; detect-secrets pypi_token.py (pypi.org and test.pypi.org macaroons)
  { kind: 'pypi_token', source: 'pypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[\\w-]{50,1000}' },
  // Docker Hub personal and organisation access tokens
  { kind: 'docker_token', source: 'dckr_(?:pat|oat)_[\\w-]{20,100}' },
  // gitleaks heroku-api-key-v2
  { kind: 'heroku_key', source: 'HRKU-AA[\\w-]{58}' },
  // gitleaks digitalocean-pat, -access-token, -refresh-token
  { kind: 'digitalocean_token', source: 'do[opr]_v1_[a-f0-9]{64}' },
  // gitleaks shopify-access-token, -custom-access-token, -private-app-access-token, -shared-secret
  { kind: 'shopify_token', source: 'shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}' },
  // gitleaks square-access-token; detect-secrets square_oauth.py
  { kind: 'square_token', source: '(?:EAAA|sq0atp-)[\\w-]{22,60}|sq0csp-[\\w-]{43}' },
  // PayPal Braintree access tokens (trufflehog's format)
  {
    kind: 'paypal_braintree_token',
    source: 'access_token\\$(?:production|sandbox)\\$[0-9a-z]{16}\\$[0-9a-f]{32}',
  },
  // detect-secrets discord.py: bot tokens (a base64 user id, a timestamp, an HMAC)
  { kind: 'discord_token', source: '[MNO][A-Za-z0-9_-]{23,25}\\.[\\w-]{6}\\.[\\w-]{27,38}' },
  // gitleaks vault-service-token, vault-batch-token, hashicorp-tf-api-token
  {
    kind: 'hashicorp_token',
    source: 'hv[sb]\\.[\\w-]{90,300}|[a-z0-9]{14}\\.atlasv1\\.[\\w=-]{60,70}',
  },
  // gitleaks databricks-api-token
  { kind: 'databricks_token', source: 'dapi[a-f0-9]{32}(?:-\\d)?' },
  // gitleaks linear-api-key (and OAuth tokens)
  { kind: 'linear_key', source: 'lin_(?:api|oauth)_[A-Za-z0-9]{40,64}' },
  // gitleaks atlassian-api-token (the `ATATT3` form); Bitbucket app passwords (`ATBB` + 32, Nosey
  // Parker np.bitbucket.1)
  { kind: 'atlassian_token', source: 'ATATT3[\\w=-]{150,250}|ATBB[A-Za-z0-9]{32}' },
  // gitleaks new-relic-user-api-key, -insert-key, -browser-api-token; license keys end in `NRAL`
  { kind: 'new_relic_key', source: 'NR(?:AK|II|JS|RA)-[A-Za-z0-9-]{19,40}|[0-9a-f]{36}NRAL' },
  // gitleaks sentry-user-token, sentry-org-token
  { kind: 'sentry_token', source: 'sntryu_[a-f0-9]{64}|sntrys_eyJ[\\w+/=]{40,600}' },
  // gitleaks huggingface-access-token, -organization-api-token
  { kind: 'huggingface_token', source: '(?:hf_|api_org_)[A-Za-z]{34}' },
  // gitleaks grafana-api-key, -cloud-api-token, -service-account-token
  {
    kind: 'grafana_token',
    source:
      'eyJrIjoi[A-Za-z0-9]{70,400}={0,3}|glc_[A-Za-z0-9+/]{32,400}={0,3}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}',
  },
  // Django's generated development key (`startproject` writes it into settings.py)
  { kind: 'django_secret_key', source: 'django-insecure-[a-z0-9!@#$%^&*()_=+-]{30,80}' },
  // The long tail of gitleaks' prefixed rules, one kind: 1Password, Adobe, age, Airtable, Alibaba,
  // Artifactory, Bedrock, CircleCI, ClickHouse Cloud, Clojars, Cloudflare origin CA, Doppler, Duffel, Dynatrace, EasyPost, Facebook
  // page, Firebase Cloud Messaging, Flutterwave, Fly.io, Frame.io, Harness, Infracost, Intra42,
  // Mapbox secret, MaxMind, Notion, Octopus Deploy, OpenShift, Perplexity, PlanetScale, Postman,
  // Prefect, Pulumi, ReadMe, RubyGems, Scalingo, Sendinblue, SettleMint, Shippo, Twitter (bearer tokens).
  {
    kind: 'provider_token',
    source: [
      'A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}',
      'ops_eyJ[A-Za-z0-9+/]{250,4000}={0,3}',
      'p8e-[A-Za-z0-9]{32}',
      // age: the prefix says it all; the body is bech32, read as any capitals and digits
      'AGE-SECRET-KEY-1[A-Z0-9]{58}',
      'pat[A-Za-z0-9]{14}\\.[a-f0-9]{64}',
      'LTAI[A-Za-z0-9]{20}',
      'AKCp[A-Za-z0-9]{60,80}',
      'ABSK[A-Za-z0-9+/]{109,269}={0,2}',
      '4b1d[A-Za-z0-9]{38}',
      'CLOJARS_[A-Za-z0-9]{60}',
      // CircleCI personal API tokens (GitLab secret detection's CircleCI rule)
      'CCIPAT_[A-Za-z0-9]{22}_[a-fA-F0-9]{40}',
      'v1\\.0-[a-f0-9]{24}-[a-f0-9]{146}',
      'dp\\.(?:pt|st|ct|sa|scim|audit)\\.[A-Za-z0-9]{40,44}',
      'duffel_(?:test|live)_[\\w=-]{43}',
      'dt0c01\\.[A-Za-z0-9]{24}\\.[A-Za-z0-9]{64}',
      'EZ[AT]K[A-Za-z0-9]{54}',
      'EAA[MC][A-Za-z0-9]{100,400}',
      '\\d{15,16}(?:\\||%7C)[\\w-]{27,40}',
      'A{22}[A-Za-z0-9%]{80,100}',
      'AAAA[\\w-]{7}:APA91b[\\w-]{100,300}',
      'FLWSECK(?:_TEST)?-[a-hA-H0-9]{12,32}(?:-X)?',
      'fo1_[\\w-]{43}|fm[12][ar]?_[A-Za-z0-9+/]{100,1000}={0,3}',
      'fio-u-[\\w=-]{64}',
      '(?:pat|sat)\\.[\\w-]{22}\\.[A-Za-z0-9]{24}\\.[A-Za-z0-9]{20}',
      'ico-[A-Za-z0-9]{32}',
      's-s4t2(?:ud|af)-[a-f0-9]{64}',
      'sk\\.eyJ[\\w-]{20,400}\\.[\\w-]{20,100}',
      '[A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk',
      'ntn_[0-9]{11}[A-Za-z0-9]{35}',
      'API-[A-Z0-9]{26}',
      'sha256~[\\w-]{43}',
      'pplx-[A-Za-z0-9]{48}',
      'pscale_(?:tkn|oauth|pw)_[\\w=.-]{32,64}',
      'PMAK-[a-f0-9]{24}-[a-f0-9]{34}',
      'pnu_[A-Za-z0-9]{36}',
      'pul-[a-f0-9]{40}',
      'rdme_[a-z0-9]{70}',
      'rubygems_[a-f0-9]{48}',
      'tk-us-[\\w-]{48}',
      'xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}',
      'sm_(?:aat|pat|sat)_[A-Za-z0-9]{16}',
      'shippo_(?:live|test)_[a-fA-F0-9]{40}',
    ].join('|'),
  },
];

/** Formats with their own boundaries. */
const OTHER_TOKENS: readonly TokenRule[] = [
  // gitleaks telegram-bot-api-token, detect-secrets telegram_token.py: also inside `/bot<token>/` URLs;
  // one character shorter too, as in Telegram's own documentation example
  { kind: 'telegram_bot_token', source: '(?<!\\d)\\d{8,10}:A[\\w-]{33,34}(?![\\w-])' },
  // gitleaks azure-ad-client-secret (`…8Q~…`)
  {
    kind: 'azure_client_secret',
    source: '(?<![\\w~.-])[A-Za-z0-9_~.]{3}\\dQ~[A-Za-z0-9_~.-]{31,34}(?![\\w~.-])',
  },
];

/**
 * A cheap test every token above needs: its prefix (or the suffix or separator of those without one).
 * A superset: the combined regex decides.
 */
export const PROVIDER_PREFIX =
  /A3T|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|gh[pousr]_|github_pat_|gl(?:pat|dt|ft|soat|rt|cbt|imt|ptt|agent|oas|ffct)-|GR1348941|xox|xapp-|k_live_|k_test_|k_prod_|whsec_|sk-|AIza|GOCSPX-|ya29\.|SG\.|SK[0-9a-f]{4}|-us\d|key-|npm_|pypi-|dckr_|HRKU-|do[opr]_v1_|shp(?:at|ca|pa|ss)_|EAA|\d\||\d%7C|A{22}|sq0|access_token\$|[MNO][\w-]{23,25}\.|hv[sb]\.|atlasv1|dapi|lin_|ATATT3|ATBB|NR(?:AK|II|JS|RA)-|NRAL|sntry|hf_|api_org_|eyJrIjoi|gl[cs]a?_|django-insecure-|A3-|ops_|p8e-|AGE-SECRET|pat[A-Za-z0-9]{14}\.|LTAI|AKCp|ABSK|4b1d|CLOJARS_|CCIPAT_|v1\.0-|dp\.|duffel_|dt0c01|EZ[AT]K|APA91b|FLWSECK|f[om][12]|fio-u-|[ps]at\.|ico-|s-s4t2|sk\.eyJ|_mmk|ntn_|API-|sha256~|pplx-|pscale_|PMAK-|pnu_|pul-|rdme_|rubygems_|tk-us-|xkeysib-|sm_[aps]at_|shippo_|\d:A|\dQ~/;

/** The kinds of `PROVIDER_TOKENS`, in group order. */
export const PROVIDER_TOKEN_KINDS: readonly string[] = [...WORD_TOKENS, ...OTHER_TOKENS].map(
  (rule) => rule.kind,
);

/** One regex for all the formats: group i + 1 is `PROVIDER_TOKEN_KINDS[i]`. */
export function providerTokenPattern(): RegExp {
  const word = WORD_TOKENS.map((rule) => `(${rule.source})`).join('|');
  const other = OTHER_TOKENS.map((rule) => `(${rule.source})`).join('|');
  return new RegExp(`(?<![\\w-])(?:${word})(?![\\w-])|${other}`, 'g');
}

/** The kind of a match of `providerTokenPattern()`: its first group that took part. */
export function providerTokenKind(match: RegExpExecArray): string {
  for (let i = 1; i < match.length; i++) if (match[i] !== undefined) return PROVIDER_TOKEN_KINDS[i - 1];
  return 'provider_token';
}
