import { VALUE_KINDS } from '../entities';
import { createRedactor, redact, REDACTED, redactString } from '../index';
import { compileReplacer } from '../strategies';
import { SECRET_ENTITY_DOCS, secretDetectors } from './secrets';

const marker = (kind: string): string => `[REDACTED:${kind}]`;

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A deterministic random-looking string (no real credential is written down here). */
function fake(length: number, alphabet = ALNUM, seed = length): string {
  let state = seed * 7919 + 17;
  let out = '';
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    out += alphabet[Math.floor(state / 65536) % alphabet.length];
  }
  return out;
}

/** A provider token and the realistic line it was found in (`$` stands for the token). */
type TokenRow = [kind: string, token: string, line: string];

const TOKENS: TokenRow[] = [
  ['aws_access_key', 'AKIAIOSFODNN7EXAMPLE', 'boto3 using key $ for s3'],
  ['aws_access_key', `ASIA${fake(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`, 'AWS_ACCESS_KEY_ID: $'],
  ['github_token', `ghp_${fake(36)}`, 'git clone https://x-access-token:$@github.com/org/repo.git'],
  ['github_token', `github_pat_${fake(82, `${ALNUM}_`)}`, 'gh: bad credentials for $ (401)'],
  ['gitlab_token', `glpat-${fake(20, `${ALNUM}_-`)}`, 'PRIVATE-TOKEN: $'],
  ['gitlab_token', `glrt-${fake(20)}`, 'runner registered with $ ok'],
  ['gitlab_token', `GR1348941${fake(20)}`, 'gitlab-runner register --registration-token $'],
  ['slack_token', `xoxb-1234567890123-1234567890123-${fake(24)}`, 'slack client init token=$'],
  ['slack_token', `xapp-1-A0123456789-1234567890123-${fake(64, HEX)}`, 'socket mode $ connected'],
  ['stripe_key', `sk_live_${fake(24)}`, 'stripe.api_key = "$"'],
  ['stripe_key', `rk_test_${fake(24)}`, 'Stripe restricted key $ used'],
  ['stripe_key', `whsec_${fake(32)}`, 'endpoint secret $'],
  ['anthropic_key', `sk-ant-api03-${fake(93, `${ALNUM}_-`)}AA`, 'anthropic.Anthropic(api_key="$")'],
  [
    'openai_key',
    `sk-proj-${fake(74, `${ALNUM}_-`)}T3BlbkFJ${fake(74, `${ALNUM}_-`, 3)}`,
    'OpenAI(api_key=$)',
  ],
  [
    'openai_key',
    `sk-${fake(20)}T3BlbkFJ${fake(20, ALNUM, 9)}`,
    'openai.error.AuthenticationError: Incorrect API key provided: $.',
  ],
  [
    'google_api_key',
    `AIza${fake(35, `${ALNUM}_-`)}`,
    'GET https://maps.googleapis.com/maps/api/geocode/json?address=x&key=$',
  ],
  ['google_oauth_token', `GOCSPX-${fake(28, `${ALNUM}_-`)}`, '{"web":{"client_secret_value":"$"}}'],
  ['google_oauth_token', `ya29.a0${fake(120, `${ALNUM}_-`)}`, 'calling with access $ expired'],
  ['sendgrid_key', `SG.${fake(22, `${ALNUM}_-`)}.${fake(43, `${ALNUM}_-`)}`, 'SendGridAPIClient($)'],
  ['twilio_key', `SK${fake(32, HEX)}`, 'twilio Client($, secret)'],
  [
    'mailgun_key',
    `key-${fake(32, HEX)}`,
    'requests.post("https://api.mailgun.net/v3/x/messages", auth=("api", "$"))',
  ],
  ['mailchimp_key', `${fake(32, HEX)}-us21`, 'mailchimp client configured with $'],
  ['npm_token', `npm_${fake(36)}`, '//registry.npmjs.org/ token $ rejected'],
  ['pypi_token', `pypi-AgEIcHlwaS5vcmc${fake(120, `${ALNUM}_-`)}`, 'twine upload -p $ dist/*'],
  ['docker_token', `dckr_pat_${fake(27, `${ALNUM}_-`)}`, 'docker login -u ci -p $'],
  ['heroku_key', `HRKU-AA${fake(58, `${ALNUM}_-`)}`, 'heroku auth $'],
  ['digitalocean_token', `dop_v1_${fake(64, HEX)}`, 'doctl auth init -t $'],
  ['shopify_token', `shpat_${fake(32, HEX)}`, 'X-Shopify-Access-Token: $'],
  ['square_token', `EAAA${fake(60, `${ALNUM}_-`)}`, 'square client token $'],
  ['square_token', `sq0csp-${fake(43, `${ALNUM}_-`)}`, 'oauth secret $'],
  [
    'paypal_braintree_token',
    `access_token$production$${fake(16, 'abcdefghijklmnopqrstuvwxyz0123456789')}$${fake(32, HEX)}`,
    'braintree gateway $ ready',
  ],
  [
    'discord_token',
    'MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs',
    'discord.errors.LoginFailure: Improper token has been passed: $',
  ],
  [
    'telegram_bot_token',
    `123456789:AA${fake(33, `${ALNUM}_-`)}`,
    'POST https://api.telegram.org/bot$/sendMessage 200',
  ],
  ['hashicorp_token', `hvs.${fake(95, `${ALNUM}_-`)}`, 'X-Vault-Token: $'],
  [
    'hashicorp_token',
    `${fake(14, 'abcdefghijklmnopqrstuvwxyz0123456789')}.atlasv1.${fake(67)}`,
    'credentials "app.terraform.io" { token = $ }',
  ],
  ['databricks_token', `dapi${fake(32, HEX)}`, 'databricks host=x token $'],
  ['linear_key', `lin_api_${fake(40)}`, 'LinearClient({ apiKey: $ })'],
  [
    'atlassian_token',
    `ATATT3${fake(186, `${ALNUM}_-`)}`,
    'jira basic auth me@example.org:$'.replace('me@example.org', 'me'),
  ],
  ['new_relic_key', `NRAK-${fake(27, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}`, 'newrelic graphql with $'],
  ['new_relic_key', `${fake(36, HEX)}NRAL`, 'license $ loaded'],
  ['sentry_token', `sntryu_${fake(64, HEX)}`, 'sentry-cli --auth-token $ releases new'],
  ['huggingface_token', `hf_${fake(34, LETTERS)}`, 'huggingface-cli login --token $'],
  ['grafana_token', `glsa_${fake(32)}_${fake(8, HEX)}`, 'grafana service account $'],
  [
    'django_secret_key',
    'django-insecure-h3k$9v@x!q2m#w8z^r7t&y6u*i5o(p4)l3k2j1h0g9f8d7s6a',
    'settings loaded, key $ (DEBUG)',
  ],
  ['azure_client_secret', `abc8Q~${fake(34, `${ALNUM}_.~-`)}`, 'ClientSecretCredential(tenant, client, "$")'],
  ['provider_token', `AGE-SECRET-KEY-1${fake(58, 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L')}`, 'age identity $'],
  // written outside the bech32 alphabet (copies in docs and tests): the prefix decides
  ['provider_token', `AGE-SECRET-KEY-1${fake(58, 'ABIO1Z0123456789')}`, '# created: 2026-01-02\n$'],
  ['atlassian_token', `ATBB${fake(32)}`, 'bitbucket app password $'],
  ['provider_token', `CCIPAT_${fake(22)}_${fake(40, HEX)}`, 'circleci --token $ follow'],
  // Telegram's documentation example is one character shorter than live tokens
  [
    'telegram_bot_token',
    '110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw',
    'GET https://api.telegram.org/bot$/getMe',
  ],
  ['provider_token', `pplx-${fake(48)}`, 'perplexity $'],
  ['provider_token', `PMAK-${fake(24, HEX)}-${fake(34, HEX)}`, 'postman --api-key $'],
  ['provider_token', `dp.pt.${fake(43)}`, 'doppler $'],
  ['provider_token', `sk.eyJ${fake(80, `${ALNUM}_-`)}.${fake(22, `${ALNUM}_-`)}`, 'mapbox secret $'],
  ['provider_token', `rubygems_${fake(48, HEX)}`, 'gem push with $'],
  ['provider_token', '4b1dbRdW3rOcB7xLthrM4BTBGK1qPLkHigpN1bXD6z', 'clickhouse cloud key $ rotated'],
  ['provider_token', `1234567890123456|${fake(32, `${ALNUM}_-`)}`, 'graph api access_token_app $'],
  ['provider_token', `${'A'.repeat(22)}${fake(90)}`, 'twitter client bearer $'],
];

describe('provider tokens: found by their format inside a realistic line', () => {
  it.each(TOKENS)('%s: %s', (kind, token, line) => {
    expect(redactString(line.replace('$', token))).toBe(line.replace('$', marker(kind)));
  });

  it('finds a token inside JSON, as a value of a key that is not sensitive', () => {
    const token = `ghp_${fake(36)}`;
    expect(redact({ remote: `https://${token}@github.com/x.git`, note: `using ${token}` })).toEqual({
      remote: `https://${marker('github_token')}@github.com/x.git`,
      note: `using ${marker('github_token')}`,
    });
  });

  it('keeps a token-shaped run that is part of a longer word', () => {
    const inside = `xghp_${fake(36)}`;
    expect(redactString(`id ${inside}`)).toBe(`id ${inside}`);
  });
});

describe('URLs whose path is the credential', () => {
  it.each([
    [
      'slack_webhook',
      `https://hooks.slack.com/services/T00000000/B00000000/${fake(24)}`,
      'https://hooks.slack.com/services/',
    ],
    [
      'discord_token',
      `https://discord.com/api/webhooks/123456789012345678/${fake(68, `${ALNUM}_-`)}`,
      'https://discord.com/api/webhooks/123456789012345678/',
    ],
    [
      'teams_webhook',
      `https://contoso.webhook.office.com/webhookb2/${fake(8, HEX)}-1111-2222-3333-${fake(12, HEX)}@aaaa/IncomingWebhook/${fake(32, HEX)}/bbbb`,
      'https://contoso.webhook.office.com/webhookb2/',
    ],
  ])('%s: the host and fixed path stay', (kind, url, kept) => {
    expect(redactString(`POST ${url} failed: 404`)).toBe(`POST ${kept}${marker(kind)} failed: 404`);
  });
});

describe('private keys', () => {
  const body = `${fake(64, `${ALNUM}+/`)}\n${fake(64, `${ALNUM}+/`, 7)}`;
  const key = 'private_key';
  it.each([
    ['RSA', '-----BEGIN RSA PRIVATE KEY-----', '-----END RSA PRIVATE KEY-----'],
    ['PKCS#8', '-----BEGIN PRIVATE KEY-----', '-----END PRIVATE KEY-----'],
    ['EC', '-----BEGIN EC PRIVATE KEY-----', '-----END EC PRIVATE KEY-----'],
    ['OpenSSH', '-----BEGIN OPENSSH PRIVATE KEY-----', '-----END OPENSSH PRIVATE KEY-----'],
    ['encrypted', '-----BEGIN ENCRYPTED PRIVATE KEY-----', '-----END ENCRYPTED PRIVATE KEY-----'],
    ['PGP', '-----BEGIN PGP PRIVATE KEY BLOCK-----', '-----END PGP PRIVATE KEY BLOCK-----'],
    ['SSH2', '---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----', '---- END SSH2 ENCRYPTED PRIVATE KEY ----'],
  ])('%s key in a log line: the body goes, its BEGIN and END lines stay', (_name, begin, end) => {
    const pem = `${begin}\n${body}\n${end}`;
    const scrubbed = `loaded ${begin}\n${marker(key)}\n${end} from disk`;
    expect(redactString(`loaded ${pem} from disk`)).toBe(scrubbed);
    expect(redactString(scrubbed)).toBe(scrubbed);
  });

  it('a PuTTY key file goes whole', () => {
    const ppk = `PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: deploy\nPublic-Lines: 1\n${fake(40)}\nPrivate-Lines: 1\n${fake(40, ALNUM, 3)}\nPrivate-MAC: ${fake(40, HEX)}`;
    expect(redactString(`loaded ${ppk} from disk`)).toBe(`loaded ${marker(key)} from disk`);
  });

  it('armor lines with no body, and public keys, are kept', () => {
    const armor = 'expected -----BEGIN RSA PRIVATE KEY-----\n-----END RSA PRIVATE KEY----- markers';
    expect(redactString(armor)).toBe(armor);
    const pub = `-----BEGIN PUBLIC KEY-----\n${body}\n-----END PUBLIC KEY-----`;
    expect(redactString(pub)).toBe(pub);
  });

  it('a GCP service-account file in text, with escaped newlines: only the key goes', () => {
    const pem = `-----BEGIN PRIVATE KEY-----\\n${fake(64)}\\n${fake(40, ALNUM, 2)}\\n-----END PRIVATE KEY-----\\n`;
    const line = `creds={'type': 'service_account', 'project_id': 'shop-prod', 'private_key': '${pem}', 'client_id': '1234567890'}`;
    expect(redactString(line)).toBe(
      `creds={'type': 'service_account', 'project_id': 'shop-prod', 'private_key': '[REDACTED]', 'client_id': '1234567890'}`,
    );
    // The PEM alone, as a value of a key that names nothing: the escaped line breaks stay.
    expect(redactString(`blob "${pem}" end`)).toBe(
      `blob "-----BEGIN PRIVATE KEY-----\\n${marker(key)}\\n-----END PRIVATE KEY-----\\n" end`,
    );
  });

  it('a key cut short by a length limit is removed to the end', () => {
    expect(redactString(`-----BEGIN OPENSSH PRIVATE KEY-----\n${fake(30)}`)).toBe(
      `-----BEGIN OPENSSH PRIVATE KEY-----\n${marker(key)}`,
    );
  });
});

describe('connection strings: only the password goes', () => {
  it.each([
    [
      'postgresql+psycopg2://app:S3cr3t@db.internal:5432/shop',
      'postgresql+psycopg2://app:[REDACTED]@db.internal:5432/shop',
    ],
    ['postgres://app:p@ss@w0rd@db:5432/shop', 'postgres://app:[REDACTED]@db:5432/shop'],
    ['mysql://root:rootpw@127.0.0.1:3306/app', 'mysql://root:[REDACTED]@127.0.0.1:3306/app'],
    // a `#` written unencoded in a password is part of it, not a fragment
    [
      'connection to mysql+pymysql://root:Tr0ub4dor#4703@mysql:3306/app failed',
      'connection to mysql+pymysql://root:[REDACTED]@mysql:3306/app failed',
    ],
    ['mariadb+mariadbconnector://u:pw123@maria/app', 'mariadb+mariadbconnector://u:[REDACTED]@maria/app'],
    [
      'mongodb+srv://admin:p%40ss@cluster0.ab1cd.mongodb.net/test?retryWrites=true',
      'mongodb+srv://admin:[REDACTED]@cluster0.ab1cd.mongodb.net/test?retryWrites=true',
    ],
    ['redis://:redispass@cache:6379/0', 'redis://:[REDACTED]@cache:6379/0'],
    [
      'SENTRY_DSN=https://0123456789abcdef0123456789abcdef:fedcba9876543210fedcba9876543210@sentry.example.com/42',
      'SENTRY_DSN=https://0123456789abcdef0123456789abcdef:[REDACTED]@sentry.example.com/42',
    ],
    ['rediss://default:tls-pass@cache:6380', 'rediss://default:[REDACTED]@cache:6380'],
    ['amqps://guest:guest1@mq:5671/%2F', 'amqps://guest:[REDACTED]@mq:5671/%2F'],
    [
      'mssql+pyodbc://sa:Str0ng!@sql/app?driver=ODBC+Driver+18',
      'mssql+pyodbc://sa:[REDACTED]@sql/app?driver=ODBC+Driver+18',
    ],
    [
      'oracle+cx_oracle://scott:tiger@ora:1521/?service_name=XE',
      'oracle+cx_oracle://scott:[REDACTED]@ora:1521/?service_name=XE',
    ],
    ['clickhouse://default:chpass@ch:9000/default', 'clickhouse://default:[REDACTED]@ch:9000/default'],
    ['jdbc:mysql://app:pw99@db:3306/shop', 'jdbc:mysql://app:[REDACTED]@db:3306/shop'],
    ['jdbc:oracle:thin:scott/tiger@//ora:1521/ORCL', 'jdbc:oracle:thin:scott/[REDACTED]@//ora:1521/ORCL'],
    [
      'jdbc:postgresql://db:5432/shop?user=app&password=hunter2&ssl=true',
      'jdbc:postgresql://db:5432/shop?user=app&password=[REDACTED]&ssl=true',
    ],
    [
      'jdbc:sqlserver://sql:1433;databaseName=app;user=sa;password=S3cret!;encrypt=true',
      'jdbc:sqlserver://sql:1433;databaseName=app;user=sa;password=[REDACTED];encrypt=true',
    ],
    [
      'Server=tcp:sql.example.net,1433;Initial Catalog=shop;User Id=sa;Password=my pass word;Encrypt=True;',
      'Server=tcp:sql.example.net,1433;Initial Catalog=shop;User Id=sa;Password=[REDACTED];Encrypt=True;',
    ],
    [
      'Driver={ODBC Driver 18};Server=sql;Uid=app;Pwd=odbc pw 1',
      'Driver={ODBC Driver 18};Server=sql;Uid=app;Pwd=[REDACTED]',
    ],
    [
      'host=db port=5432 dbname=shop user=app password=hunter2 sslmode=require',
      'host=db port=5432 dbname=shop user=app password=[REDACTED] sslmode=require',
    ],
    [
      'DefaultEndpointsProtocol=https;AccountName=shopstore;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;EndpointSuffix=core.windows.net',
      `DefaultEndpointsProtocol=https;AccountName=shopstore;AccountKey=${marker('azure_storage_key')};EndpointSuffix=core.windows.net`,
    ],
    [
      'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=abcDEF123ghiJKL456mnoPQR789stuVWX012yzABC3=',
      'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=[REDACTED]',
    ],
    [
      'GET https://shop.blob.core.windows.net/c/a.pdf?sv=2021-08-06&ss=b&srt=o&sp=r&se=2026-01-01T00:00:00Z&sig=AbC%2BdEf123GhIjKlMnOpQrStUvWxYz0123456789%3D 403',
      `GET https://shop.blob.core.windows.net/c/a.pdf?sv=2021-08-06&ss=b&srt=o&sp=r&se=2026-01-01T00:00:00Z&sig=${marker('azure_sas_token')} 403`,
    ],
  ])('%s', (input, expected) => {
    expect(redactString(input)).toBe(expected);
  });
});

describe('framework secret settings and keyword assignments', () => {
  it.each([
    // Django settings.py and Flask
    ["SECRET_KEY = 'Zx9#kq2!mP0vL7wR4tY8'", `SECRET_KEY = '${REDACTED}'`],
    ["app.config['SECRET_KEY'] = 'f3a9c1d2e4b5'", `app.config['SECRET_KEY'] = '${REDACTED}'`],
    ['app.config["SECRET_KEY"] = "x-very-secret"', `app.config["SECRET_KEY"] = "${REDACTED}"`],
    ["app.secret_key = 'dev-secret-123'", `app.secret_key = '${REDACTED}'`],
    ['os.environ["API_TOKEN"] = "tok-123456"', `os.environ["API_TOKEN"] = "${REDACTED}"`],
    // .env and shell
    ['SECRET_KEY=5up3r-s3cr3t', `SECRET_KEY=${REDACTED}`],
    ['JWT_SECRET=supersecretjwt', `JWT_SECRET=${REDACTED}`],
    ['SIGNING_KEY: "abcd1234efgh"', `SIGNING_KEY: "${REDACTED}"`],
    ['DB_PASSWORD_PROD="prodpw123"', `DB_PASSWORD_PROD="${REDACTED}"`],
    ['{\\"DB_PASSWORD_PROD\\":\\"prodpw123\\"}', `{\\"DB_PASSWORD_PROD\\":\\"${REDACTED}\\"}`],
    [
      "{'SECRET_KEY_FALLBACK': 'old-key-1', 'debug': True}",
      `{'SECRET_KEY_FALLBACK': '${REDACTED}', 'debug': True}`,
    ],
    ['export STRIPE_SECRET_KEY_LIVE=Kx82hsJq0aLp', `export STRIPE_SECRET_KEY_LIVE=${REDACTED}`],
    // getter defaults
    ['os.getenv("DB_PASSWORD", "fallbackpw123")', `os.getenv("DB_PASSWORD", "${REDACTED}")`],
    ["os.environ.get('SECRET_KEY', 'insecure-default')", `os.environ.get('SECRET_KEY', '${REDACTED}')`],
    // other languages' operators
    ['password := "gopass123"', `password := "${REDACTED}"`],
    ["'password' => 'phppass123'", `'password' => '${REDACTED}'`],
    ["connect({ user: 'billing', pass: 'nats-pw-1' })", `connect({ user: 'billing', pass: '${REDACTED}' })`],
    ['API_TOKEN ?= tok_live_991', `API_TOKEN ?= ${REDACTED}`],
    ['password: str = "annotated123"', `password: ${REDACTED} = "${REDACTED}"`],
    // flags and config files
    ['mysql --user=root --password=rootpw123 shop', `mysql --user=root --password=${REDACTED} shop`],
    ['pg_dump --password s3cr3t --host db', `pg_dump --password ${REDACTED} --host db`],
    [
      '<add key="ClearTextPassword" value="nugetpw123" />',
      `<add key="ClearTextPassword" value="${REDACTED}" />`,
    ],
    // a provider's name in the key: reported with its kind under a non-remove strategy
    ['DD_APP_KEY=0123456789abcdef0123456789abcdef01234567', `DD_APP_KEY=${REDACTED}`],
    // gitleaks generic-api-key: any `<x> key` name, only with a high-entropy value
    [`ADAFRUIT_IO_KEY=${fake(32)}`, `ADAFRUIT_IO_KEY=${REDACTED}`],
    [`contentful_delivery_key: "${fake(43, `${ALNUM}_-`)}"`, `contentful_delivery_key: "${REDACTED}"`],
    // one-word names and names the key pass does not read
    ['PGPASSWORD=hunter2 psql -h db', `PGPASSWORD=${REDACTED} psql -h db`],
    [
      '//registry.npmjs.org/:_authToken=0b6c2a1e-3f4d-4c5b-9a8e-7d6c5b4a3f2e',
      `//registry.npmjs.org/:_authToken=${REDACTED}`,
    ],
    [`secret_key_base: ${fake(128, HEX)}`, `secret_key_base: ${REDACTED}`],
    // gitleaks generic-api-key's own positives
    [
      ' utils.GetEnvOrDefault("api_token", "dafa7817-e246-48f3-91a7-e87653d587b8")',
      ` utils.GetEnvOrDefault("api_token", "${REDACTED}")`,
    ],
    ['todo_secret_do_not_commit = Zf3D0LXCM3EIMbgJpUNnkRtOfOueHz', `todo_secret_do_not_commit = ${REDACTED}`],
    // a password word and a quoted value: a driver's error, SQL
    [
      `FATAL:  password authentication failed for user "shop" (password 'Sunfl0wer#3066')`,
      `FATAL:  password authentication failed for user "shop" (password '${REDACTED}')`,
    ],
    [
      "ALTER USER reporting WITH PASSWORD 'Monsoon%6794';",
      `ALTER USER reporting WITH PASSWORD '${REDACTED}';`,
    ],
    // .npmrc's `_auth` (base64 of user:password) after a registry
    [`//npm.pkg.github.com/:_auth=${fake(40)}`, `//npm.pkg.github.com/:_auth=${REDACTED}`],
    // a YAML tag is not the value (detect-secrets test_data/config.yaml)
    ['low_entropy_binary_secret: !!binary MjNjcnh1IDJieXJpdXYy', `low_entropy_binary_secret: ${REDACTED}`],
  ])('%s', (input, expected) => {
    expect(redactString(input)).toBe(expected);
  });

  it("gives a provider's key its kind", () => {
    const hashing = createRedactor({ strategies: { datadog_key: 'mask' } });
    expect(hashing.redactString('DATADOG_APPLICATION_KEY=0123456789abcdef0123456789abcdef01234567')).toBe(
      'DATADOG_APPLICATION_KEY=****4567',
    );
  });
});

describe('file paths as values of sensitive keys', () => {
  it.each([
    ['GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/google/key.json'],
    ['ssl: private_key=~/.ssh/id_ed25519.pem token_store=./conf/tokens.yaml'],
    ['settings: {"credentials": "C:\\\\keys\\\\sa.json"}'],
  ])('%s stays', (input) => {
    expect(redactString(input)).toBe(input);
  });

  it.each([
    // a path needs a directory and a file name with an extension
    ['token=/abc credentials=/run/secrets/db', `token=${REDACTED} credentials=${REDACTED}`],
    // relative without `./`: as likely a value with slashes
    ['password=a1/b2/c3.txt', `password=${REDACTED}`],
  ])('%s loses its values', (input, expected) => {
    expect(redactString(input)).toBe(expected);
  });
});

describe('key names of vendor and framework secrets', () => {
  it.each(['app_key', 'APPLICATION_KEY', 'licenseKey', 'sdk-key', 'secret_key_base', 'private_key_id'])(
    '%s is a secret',
    (key) => {
      expect(redact({ [key]: 'a1b2c3d4e5f6' })).toEqual({ [key]: REDACTED });
    },
  );

  it.each(['app_key_id', 'license_key_url', 'sdk_version', 'app_name', 'key_id'])('%s is kept', (key) => {
    expect(redact({ [key]: 'a1b2c3d4e5f6' })).toEqual({ [key]: 'a1b2c3d4e5f6' });
  });
});

describe('Kubernetes Secret manifests', () => {
  it('removes every value under data and stringData, names and structure stay', () => {
    // Each line of the manifest and what it becomes.
    const lines: [string, string][] = [
      ['apiVersion: v1', 'apiVersion: v1'],
      ['kind: Secret', 'kind: Secret'],
      ['metadata:', 'metadata:'],
      ['  name: shop-db', '  name: shop-db'],
      ['data:', 'data:'],
      ['  DATABASE_URL: cG9zdGdyZXM6Ly9hcHA6czNjcjN0QGRiL3Nob3A=', `  DATABASE_URL: ${REDACTED}`],
      ['  username: YXBw', `  username: ${REDACTED}`],
      ['stringData:', 'stringData:'],
      ['  config.yaml: |', '  config.yaml: |'],
      ['    token: abc', `    ${REDACTED}`],
      ['    region: eu', `    ${REDACTED}`],
      ['  note: "plain text"', `  note: ${REDACTED}`],
      ['  username: app', `  username: ${REDACTED}`],
      ['  API_KEY: live', `  API_KEY: ${REDACTED}`],
      ['  STRIPE_MODE: Live1', `  STRIPE_MODE: ${REDACTED}`],
      // settings beside the credentials: a word in lower case under a name that names no secret
      ['  STRIPE_MODE: live', '  STRIPE_MODE: live'],
      ['  ENVIRONMENT: production', '  ENVIRONMENT: production'],
      ['  DEBUG: "false"', '  DEBUG: "false"'],
      ['immutable: true', 'immutable: true'],
    ];
    const manifest = lines.map(([line]) => line).join('\n');
    expect(redactString(manifest)).toBe(lines.map(([, redacted]) => redacted).join('\n'));
  });
});

describe('look-alikes stay byte for byte', () => {
  it.each([
    ['Stripe publishable key', `Stripe.setPublishableKey pk_live_${fake(24)}`],
    [
      'Google OAuth client id',
      'client_id=123456789012-abc123def456ghi789jkl012mno345pq.apps.googleusercontent.com',
    ],
    ['Mapbox public token', `map style loaded with pk.eyJ1Ijoic2hvcCIsImEiOiJja${fake(20)}.${fake(22)}`],
    ['public key', `-----BEGIN PUBLIC KEY-----\n${fake(64)}\n-----END PUBLIC KEY-----`],
    ['certificate', `-----BEGIN CERTIFICATE-----\n${fake(64)}\n-----END CERTIFICATE-----`],
    ['SSH public key', `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${fake(43)} deploy`],
    ['git SHA', 'deployed commit 3f786850e387550fdab836ed7e6dc881de23001b to prod'],
    ['sha256 digest', 'sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['sha512 digest', `checksum ${fake(128, HEX)}`],
    [
      'Docker image digest',
      'image ghcr.io/shop/api@sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ],
    ['UUID', 'request 0b6c2a1e-3f4d-4c5b-9a8e-7d6c5b4a3f2e done'],
    ['trace id', 'traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['npm integrity', `"integrity": "sha512-${fake(86, `${ALNUM}+/`)}=="`],
    [
      'base64 image',
      `data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==`,
    ],
    ['md5', 'md5 0cc175b9c0f1b6a831c399e269772661'],
    ['key- without Mailgun', `cache key-${fake(32, HEX)} evicted`],
    [
      'describing names',
      'token_type="Bearer" password_changed_at="2024-01-01" secret_name="prod/db" max_tokens=100',
    ],
    ['more describing names', 'api_key_id=kid_42 password_min_length=12 token_expires_at=1735689600'],
    ['field lists', 'fields = ("username", "password", "email")'],
    ['placeholders', 'DB_PASSWORD_PROD="${DB_PASSWORD}" API_TOKEN_FILE=/run/secrets/api_token'],
    ['flags without values', 'pg_dump --no-password --host db'],
    ['weak names with words', 'SENTRY_ENVIRONMENT=production NEW_RELIC_APP_NAME=shop DD_SITE=datadoghq.com'],
    [
      'idempotency and cache keys',
      'idempotency_key=0b6c2a1e-3f4d-4c5b-9a8e-7d6c5b4a3f2e cache_key=user:1001',
    ],
    [
      'quoted cache and object keys',
      'cache_key="user_profile_1001" object_key="uploads/2024/a.png" sort_key="created_at"',
    ],
    ['ConfigMap data', 'apiVersion: v1\nkind: ConfigMap\ndata:\n  LOG_LEVEL: info\n  FEATURE_X: "on"'],
    // gitleaks generic-api-key's own false positives
    ['a library name', 'notes = "Maven - io.jsonwebtoken:jjwt-jackson-0.11.2"'],
    [
      'a variable name',
      "withCredentials([usernamePassword(credentialsId: 'ff083f76', passwordVariable: 'PASSWORD')])",
    ],
    ['a public key by name', 'public_key = "9Cnzj4p4WGeKLs1Pt8QuKUpRKfFLfRYC9AIKjbJTWit"'],
    ['a vault name', 'keyVaultToStoreSecrets: cmp2-qat-1208358310'],
    ['an accessor', '"accessor":"rA1wk0Y45YCufyfq",'],
    [
      'code: variables as values',
      'kwargs.get("token", default_token); os.environ["API_TOKEN"] = api_token_value',
    ],
    [
      'settings that name secrets',
      "AUTH_PASSWORD_VALIDATORS = [{'NAME': 'django.contrib.auth.password_validation.X'}]",
    ],
    ['getattr defaults', 'getattr(settings, "SECRET_KEY", None) api_key_last4: "4242"'],
    ['docker login', 'echo $T | docker login --password-stdin registry.example.com'],
    [
      'Twilio account SID (names the account)',
      `POST /2010-04-01/Accounts/AC${fake(32, HEX, 5)}/Messages.json 401`,
    ],
    ['too short for a Bitbucket app password', `build ATBB${fake(20)} queued`],
    ['a ratio and a word, not a Telegram token', 'ratio 12345678:A' + 'b'.repeat(20) + ' done'],
    ['HMAC signatures of a body', `X-Hub-Signature-256: sha256=${fake(64, HEX)}`],
    ['a URL fragment after a port', 'see https://docs.example.com:8443/setup#install for details'],
    ['a secret named, not given', "Error: secret 'shop-db' not found; token 'default' missing"],
    ['npm settings about auth', 'AUTH_USER_MODEL = "accounts.User"\nOAuth author: docs-team'],
    [
      'file paths as values of credential keys',
      'GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/google/key.json {"private_key": "C:\\\\certs\\\\app.key"}',
    ],
    ['masked URL passwords', 'Engine(postgresql://app:***@db:5432/shop) broker amqp://guest:xxxx@mq//'],
    [
      'where secrets are kept',
      'secret_manager_arn="arn:aws:secretsmanager:eu-west-1:123456789012:secret:db" credential_process = "/usr/bin/aws-vault exec prod"',
    ],
    ['OIDC metadata', 'token_endpoint_auth_method: "client_secret_post"'],
    // code met in stack traces and frames
    ['a variable named pass', 'const pass = await this.flushClaimed(tx, claim, now);'],
    [
      'type annotations',
      "auth: { user: string; pass: string } | null; (tokenValue: string, method = 'POST') => {}",
    ],
    ['a URL template', 'smtp://[user:pass@]host:port (STARTTLS when offered)'],
    ['times and versions', 'at 12:34:56 build 1.2.3 python3.11 node:20'],
    ['AWS region and ARN', 'AWS_REGION=us-east-1 arn:aws:iam::123456789012:role/Deploy'],
    [
      'connection string without password',
      'postgresql://app@db:5432/shop Server=sql;Integrated Security=SSPI;',
    ],
  ])('%s', (_name, input) => {
    expect(redactString(input)).toBe(input);
  });
});

describe('secret detectors: markers and documentation', () => {
  it('is idempotent', () => {
    const once = redactString(
      [
        `token ghp_${fake(36)}`,
        'postgres://app:p@ss@db/shop',
        "app.config['SECRET_KEY'] = 'abc123'",
        'AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;',
        '--password=hunter2',
      ].join('\n'),
    );
    expect(redactString(once)).toBe(once);
  });

  it('documents every kind it reports, and only known kinds', () => {
    const documented = new Set(SECRET_ENTITY_DOCS.map((doc) => doc.kind));
    const known = new Set<string>([...VALUE_KINDS, 'secret']);
    for (const kind of documented) expect(known.has(kind)).toBe(true);
    const reported = secretDetectors(compileReplacer(() => 'remove', undefined)).flatMap((d) => d.kinds);
    // `secret` is the key-name entity, documented with the key phrases it shares with these detectors.
    expect(reported.filter((kind) => kind !== 'secret' && !documented.has(kind))).toEqual([]);
    for (const [kind] of TOKENS) expect(reported).toContain(kind);
  });
});

describe('password hashes by shape', () => {
  const bcryptBody = fake(53, `./${ALNUM}`, 3);
  it.each([
    `pbkdf2_sha256$720000$Xy7salt9Qw$${fake(43, ALNUM, 5)}=`,
    `argon2$argon2id$v=19$m=102400,t=2,p=8$c29tZXNhbHQ$${fake(43, ALNUM, 6)}`,
    `bcrypt$$2b$12$${bcryptBody}`,
    `$2b$12$${bcryptBody}`,
    `$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$${fake(43, ALNUM, 7)}`,
    `$6$rounds=5000$saltsalt$${fake(86, `./${ALNUM}`, 8)}`,
    `pbkdf2:sha256:600000$Xy7salt9$${fake(64, HEX, 10)}`,
    `scrypt:32768:8:1$Xy7salt9$${fake(128, HEX, 11)}`,
    `sha1$Xy7salt9$${fake(40, HEX, 12)}`,
  ])('%s', (hash) => {
    const out = redactString(`row: ${hash} end`);
    expect(out).toBe(`row: ${marker('secret')} end`);
    expect(redactString(out)).toBe(out);
  });

  it('keeps the fields around a shadow entry', () => {
    expect(redactString(`root:$6$salt$${fake(86, `./${ALNUM}`, 9)}:19000:0:99999:7:::`)).toBe(
      `root:${marker('secret')}:19000:0:99999:7:::`,
    );
  });

  it('under any key', () => {
    expect(redactString(`old_hash=pbkdf2_sha256$720000$Xy7salt9Qw$${fake(43, ALNUM, 5)}=`)).toBe(
      `old_hash=${marker('secret')}`,
    );
  });

  it.each([
    'price $6$ per unit',
    'echo $1$HOME',
    'pbkdf2_sha256 is the default hasher',
    'PASSWORD_HASHERS=django.contrib.auth.hashers.Argon2PasswordHasher',
    "PASSWORD_HASHERS = ['django.contrib.auth.hashers.Argon2PasswordHasher']",
    'EMAIL_BACKEND_PASSWORD_CLASS=django.core.mail.backends.smtp.EmailBackend',
    '$2b$12$short',
    'md5$ is deprecated',
    'pbkdf2:sha256 with 600000 iterations',
  ])('keeps %s', (input) => {
    expect(redactString(input)).toBe(input);
  });
});
