// Renders each kustomize overlay with `kubectl kustomize`, validates every object offline against the
// Kubernetes schemas (kubernetes-models), and holds the Deployments to what the services really serve:
// the probe paths and ports come from @vigil/platform, the env must pass the platform config schema.
import fs from 'node:fs';
import path from 'node:path';

import {
  MANAGEMENT_PORTS,
  PROBE_PATHS,
  SERVICE_PORTS,
  platformConfigSchema,
  type ServiceName,
} from '@vigil/platform';
import {
  PrometheusRule,
  ServiceMonitor,
  type IServiceMonitor,
} from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { Deployment, StatefulSet, type IDeployment, type IStatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler, type IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { NetworkPolicy, type INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget, type IPodDisruptionBudget } from 'kubernetes-models/policy/v1';
import {
  ConfigMap,
  Namespace,
  Secret,
  Service,
  ServiceAccount,
  type IConfigMap,
  type IContainer,
  type IPodSpec,
  type ISecret,
  type IService,
} from 'kubernetes-models/v1';
import { parse as parseYaml, parseAllDocuments } from 'yaml';

import {
  APP_ENV,
  APPS,
  REPO_ROOT,
  environmentReferences,
  parseQuantity,
  requestsOf,
  runTool,
  sleepSeconds,
  targetFieldProblems,
} from './support';

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
}

type Validatable = { validate(): void };
type ModelClass = new (data: never) => Validatable;

interface CnpgCluster extends K8sObject {
  spec?: {
    instances?: number;
    postgresql?: { parameters?: Record<string, string> };
    storage?: { size?: string };
    inheritedMetadata?: { labels?: Record<string, string> };
    bootstrap?: { initdb?: { database?: string; owner?: string; postInitSQL?: string[] } };
  };
}

/** No published models for CloudNativePG: the fields Vigil relies on, checked by hand. */
class CnpgClusterModel implements Validatable {
  constructor(private readonly data: CnpgCluster) {}
  validate(): void {
    const spec = this.data.spec;
    if (!spec) throw new Error('Cluster has no spec');
    if (!Number.isInteger(spec.instances) || spec.instances! < 1)
      throw new Error('spec.instances must be a positive integer');
    if (!spec.storage?.size) throw new Error('spec.storage.size is required');
    parseQuantity(spec.storage.size);
  }
}

/** Every kind the manifests may contain, with its offline validator. Anything else fails the test. */
const MODELS: Record<string, ModelClass> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
  'postgresql.cnpg.io/v1/Cluster': CnpgClusterModel,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
};

const NAMESPACE = 'vigil';
const RUN_AS_USER = 10001;
const PROBE_KINDS = ['startup', 'readiness', 'liveness'] as const;

const OVERLAYS = [
  {
    name: 'dev',
    replicas: (n: number) => n === 1,
    expectation: 'exactly 1 replica',
    hpa: false,
    cnpg: false,
  },
  {
    name: 'prod',
    replicas: (n: number) => n >= 2,
    expectation: 'at least 2 replicas',
    hpa: true,
    cnpg: true,
  },
];
/** Services of the infrastructure the overlays run beside the four apps. */
const INFRA_SERVICES: Record<string, string[]> = {
  dev: ['nats', 'nats-headless', 'postgres'],
  prod: ['nats', 'nats-headless'],
};

function validateObject(obj: K8sObject): void {
  const Model = MODELS[`${obj.apiVersion}/${obj.kind}`];
  if (!Model)
    throw new Error(
      `no validator for ${obj.apiVersion} ${obj.kind} "${obj.metadata?.name}"; add it to MODELS`,
    );
  new Model(obj as never).validate();
}

function render(overlay: string): K8sObject[] {
  const dir = path.join('k8s', 'overlays', overlay);
  const result = runTool(
    'kubectl',
    ['kustomize', dir],
    'install kubectl v1.27+ (its built-in `kubectl kustomize` renders k8s/ offline)',
  );
  if (result.status !== 0)
    throw new Error(`kubectl kustomize ${dir} exited ${result.status}:\n${result.stderr}`);
  const objects: K8sObject[] = [];
  for (const doc of parseAllDocuments(result.stdout)) {
    if (doc.errors.length > 0)
      throw new Error(`kubectl kustomize ${dir}: unparsable YAML: ${doc.errors[0].message}`);
    const value = doc.toJS() as K8sObject | null;
    if (value) objects.push(value);
  }
  return objects;
}

function loadExampleSecret(): ISecret {
  const file = path.join(REPO_ROOT, 'k8s/base/secrets.example.yaml');
  return parseYaml(fs.readFileSync(file, 'utf8')) as ISecret;
}

const ofKind = <T>(objects: K8sObject[], kind: string): T[] =>
  objects.filter((o) => o.kind === kind) as unknown as T[];

const labelsMatch = (
  selector: Record<string, string> | undefined,
  labels: Record<string, string> | undefined,
) =>
  !!selector &&
  Object.keys(selector).length > 0 &&
  Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/**
 * The environment a container would see: envFrom ConfigMaps, then env entries; Secret values are the
 * placeholders of secrets.example.yaml. Unresolvable references are reported as problems.
 */
function containerEnv(
  container: IContainer,
  objects: K8sObject[],
  secret: ISecret,
  problems: string[],
): Record<string, string> {
  const secretData = secret.stringData ?? {};
  const configMap = (name: string) =>
    ofKind<IConfigMap>(objects, 'ConfigMap').find((c) => c.metadata?.name === name);
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) {
      const cm = configMap(source.configMapRef.name ?? '');
      if (!cm) problems.push(`envFrom ConfigMap "${source.configMapRef.name}" is not in the rendered output`);
      else Object.assign(env, cm.data);
    } else if (source.secretRef) {
      if (source.secretRef.name !== secret.metadata?.name)
        problems.push(`envFrom Secret "${source.secretRef.name}" is not ${secret.metadata?.name}`);
      else Object.assign(env, secretData);
    }
  }
  for (const entry of container.env ?? []) {
    const from = entry.valueFrom;
    if (entry.value !== undefined) {
      env[entry.name] = entry.value;
    } else if (from?.configMapKeyRef) {
      const value = configMap(from.configMapKeyRef.name ?? '')?.data?.[from.configMapKeyRef.key];
      if (value === undefined)
        problems.push(
          `${entry.name}: ConfigMap key ${from.configMapKeyRef.name}/${from.configMapKeyRef.key} not found`,
        );
      else env[entry.name] = value;
    } else if (from?.secretKeyRef) {
      const { name, key } = from.secretKeyRef;
      if (name !== secret.metadata?.name)
        problems.push(`${entry.name}: Secret "${name}" is not ${secret.metadata?.name}`);
      else if (secretData[key] === undefined)
        problems.push(`${entry.name}: key "${key}" is missing from k8s/base/secrets.example.yaml`);
      else env[entry.name] = secretData[key];
    } else if (from?.fieldRef || from?.resourceFieldRef) {
      env[entry.name] = `<${from.fieldRef?.fieldPath ?? from.resourceFieldRef?.resource}>`;
    } else {
      problems.push(`${entry.name}: no value and no supported valueFrom`);
    }
  }
  return env;
}

/** max_connections of the overlay's Postgres: the CloudNativePG cluster's parameters or the server's `-c` args. */
function postgresMaxConnections(objects: K8sObject[]): number {
  const POSTGRES_DEFAULT = 100;
  const cluster = objects.find((o): o is CnpgCluster => o.kind === 'Cluster');
  if (cluster) return Number(cluster.spec?.postgresql?.parameters?.max_connections ?? POSTGRES_DEFAULT);
  const server = ofKind<IStatefulSet>(objects, 'StatefulSet').find((s) => s.metadata?.name === 'postgres');
  if (!server)
    throw new Error('no Postgres in the overlay (a CloudNativePG Cluster or StatefulSet postgres)');
  const args = server.spec?.template.spec?.containers.flatMap((c) => [
    ...(c.command ?? []),
    ...(c.args ?? []),
  ]);
  const setting = (args ?? []).map((a) => /^max_connections=(\d+)$/.exec(a)?.[1]).find(Boolean);
  return setting ? Number(setting) : POSTGRES_DEFAULT;
}

function probeProblems(app: ServiceName, container: IContainer): string[] {
  const problems: string[] = [];
  const where = `container "${container.name}"`;
  const http = (container.ports ?? []).find((p) => p.name === 'http');
  if (!http) return [`${where} has no containerPort named "http"`];
  if (http.containerPort !== SERVICE_PORTS[app])
    problems.push(
      `${where}: port "http" is ${http.containerPort}, the service listens on ${SERVICE_PORTS[app]}`,
    );
  // Probes go to the management listener (a worker thread on MANAGEMENT_PORT), never the app port.
  const management = (container.ports ?? []).find((p) => p.name === 'management');
  if (!management) return [...problems, `${where} has no containerPort named "management"`];
  if (management.containerPort !== MANAGEMENT_PORTS[app])
    problems.push(`${where}: port "management" is ${management.containerPort}, not ${MANAGEMENT_PORTS[app]}`);
  const managementEnv = (container.env ?? []).find((e) => e.name === 'MANAGEMENT_PORT')?.value;
  if (managementEnv !== String(management.containerPort))
    problems.push(
      `${where}: MANAGEMENT_PORT is ${managementEnv ?? 'unset'}, the "management" port is ${management.containerPort}`,
    );
  for (const kind of PROBE_KINDS) {
    const probe = container[`${kind}Probe`];
    if (!probe) {
      problems.push(`${where} has no ${kind}Probe`);
      continue;
    }
    if (!probe.httpGet) {
      problems.push(`${where}: ${kind}Probe is not an httpGet probe`);
      continue;
    }
    if (probe.httpGet.path !== PROBE_PATHS[kind])
      problems.push(`${where}: ${kind}Probe path ${probe.httpGet.path} is not ${PROBE_PATHS[kind]}`);
    const port = probe.httpGet.port;
    if (typeof port === 'string' && port !== 'management')
      problems.push(`${where}: ${kind}Probe uses port "${port}", not the "management" port`);
    if (typeof port === 'number' && port !== management.containerPort)
      problems.push(
        `${where}: ${kind}Probe uses port ${port}, not the "management" port ${management.containerPort}`,
      );
  }
  return problems;
}

function resourceProblems(container: IContainer): string[] {
  const problems: string[] = [];
  const { requests = {}, limits = {} } = container.resources ?? {};
  for (const resource of ['cpu', 'memory']) {
    const request = requests[resource];
    const limit = limits[resource];
    if (request === undefined) problems.push(`container "${container.name}" has no ${resource} request`);
    if (limit === undefined) problems.push(`container "${container.name}" has no ${resource} limit`);
    if (request !== undefined && limit !== undefined && parseQuantity(request) > parseQuantity(limit))
      problems.push(
        `container "${container.name}": ${resource} request ${request} exceeds its limit ${limit}`,
      );
  }
  return problems;
}

function securityProblems(pod: IPodSpec, container: IContainer): string[] {
  const problems: string[] = [];
  const where = `container "${container.name}"`;
  const podSc = pod.securityContext ?? {};
  const sc = container.securityContext ?? {};
  if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true) problems.push(`${where}: runAsNonRoot is not true`);
  if ((sc.runAsUser ?? podSc.runAsUser) !== RUN_AS_USER)
    problems.push(`${where}: runAsUser is not ${RUN_AS_USER}`);
  if (sc.readOnlyRootFilesystem !== true) problems.push(`${where}: readOnlyRootFilesystem is not true`);
  if (sc.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation is not false`);
  if (!sc.capabilities?.drop?.includes('ALL')) problems.push(`${where}: capabilities do not drop ALL`);
  if (sc.capabilities?.add?.length)
    problems.push(`${where}: adds capabilities ${sc.capabilities.add.join(',')}`);
  if ((sc.seccompProfile ?? podSc.seccompProfile)?.type !== 'RuntimeDefault')
    problems.push(`${where}: seccompProfile is not RuntimeDefault`);
  const tmp = (container.volumeMounts ?? []).find((m) => m.mountPath === '/tmp');
  const tmpVolume = tmp && (pod.volumes ?? []).find((v) => v.name === tmp.name);
  if (!tmpVolume?.emptyDir)
    problems.push(`${where}: /tmp is not a writable emptyDir (the root filesystem is read-only)`);
  return problems;
}

describe('kubernetes-models validation', () => {
  it('rejects a malformed Deployment, so a passing validation means something', () => {
    const broken = {
      metadata: { name: 'x' },
      spec: { selector: {}, template: { spec: { containers: 'nope' } } },
    };
    expect(() => validateObject({ apiVersion: 'apps/v1', kind: 'Deployment', ...broken })).toThrow();
    expect(() =>
      validateObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }),
    ).toThrow(/no validator/);
  });

  it('accepts k8s/base/secrets.example.yaml, which holds placeholders only', () => {
    const secret = loadExampleSecret();
    expect(() => validateObject(secret as K8sObject)).not.toThrow();
    expect(secret.metadata?.name).toBe('vigil-secrets');
    expect(secret.data).toBeUndefined();
    for (const [key, value] of Object.entries(secret.stringData ?? {}))
      expect(`${key}=${value}`).toMatch(/CHANGE_ME/);
  });

  it.each([
    'nats-users.secret.example.yaml',
    'postgres.secret.example.yaml',
    'alerting-receivers.secret.example.yaml',
  ])('accepts k8s/base/%s, which holds placeholders only', (file) => {
    const example = parseYaml(fs.readFileSync(path.join(REPO_ROOT, 'k8s/base', file), 'utf8')) as ISecret;
    expect(() => validateObject(example as K8sObject)).not.toThrow();
    expect(example.data).toBeUndefined();
    expect(Object.keys(example.stringData ?? {}).length).toBeGreaterThan(0);
    for (const [key, value] of Object.entries(example.stringData ?? {}))
      expect(`${key}=${value}`).toMatch(/CHANGE_ME/);
  });

  it('keeps the example Secrets out of the kustomization', () => {
    const kustomization = parseYaml(
      fs.readFileSync(path.join(REPO_ROOT, 'k8s/base/kustomization.yaml'), 'utf8'),
    ) as {
      resources?: string[];
    };
    expect((kustomization.resources ?? []).filter((r) => r.includes('example'))).toEqual([]);
  });
});

describe.each(OVERLAYS)('k8s/overlays/$name', (overlay) => {
  let objects: K8sObject[] = [];
  const secret = loadExampleSecret();
  const deployment = (app: ServiceName) =>
    ofKind<IDeployment>(objects, 'Deployment').find(
      (d) => d.metadata?.labels?.['app.kubernetes.io/name'] === app,
    );

  beforeAll(() => {
    objects = render(overlay.name);
  });

  it('renders objects that all validate against the Kubernetes schemas', () => {
    expect(objects.length).toBeGreaterThan(0);
    const failures: string[] = [];
    for (const obj of objects) {
      try {
        validateObject(obj);
      } catch (err) {
        failures.push(`${obj.kind} ${obj.metadata?.name}: ${(err as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it(`puts everything in the ${NAMESPACE} namespace and renders no Secret`, () => {
    expect(ofKind<K8sObject>(objects, 'Namespace').map((n) => n.metadata.name)).toEqual([NAMESPACE]);
    const elsewhere = objects.filter((o) => o.kind !== 'Namespace' && o.metadata.namespace !== NAMESPACE);
    expect(elsewhere.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([]);
    expect(ofKind<K8sObject>(objects, 'Secret').map((s) => s.metadata.name)).toEqual([]);
  });

  it('has exactly one Deployment and one Service per service, and none for anything else', () => {
    const names = (kind: string) =>
      ofKind<K8sObject>(objects, kind)
        .map((o) => o.metadata.name)
        .sort();
    expect(names('Deployment')).toEqual([...APPS].sort());
    expect(names('Service')).toEqual([...APPS, ...INFRA_SERVICES[overlay.name]].sort());
  });

  it(`runs ${overlay.expectation} of each service`, () => {
    const wrong = APPS.filter((app) => !overlay.replicas(deployment(app)?.spec?.replicas ?? 1));
    expect(wrong).toEqual([]);
  });

  const workloads = (): { kind: string; name: string; pod: IPodSpec }[] => [
    ...ofKind<IDeployment>(objects, 'Deployment').map((d) => ({
      kind: 'Deployment',
      name: d.metadata!.name!,
      pod: d.spec!.template.spec!,
      labels: d.spec!.template.metadata?.labels,
    })),
    ...ofKind<IStatefulSet>(objects, 'StatefulSet').map((d) => ({
      kind: 'StatefulSet',
      name: d.metadata!.name!,
      pod: d.spec!.template.spec!,
      labels: d.spec!.template.metadata?.labels,
    })),
  ];
  const podLabels = (name: string) =>
    [...ofKind<IDeployment>(objects, 'Deployment'), ...ofKind<IStatefulSet>(objects, 'StatefulSet')].find(
      (w) => w.metadata?.name === name,
    )?.spec?.template.metadata?.labels;

  it('guards every workload (services, NATS, Postgres) with a PodDisruptionBudget', () => {
    const pdbs = ofKind<IPodDisruptionBudget>(objects, 'PodDisruptionBudget');
    const uncovered = workloads()
      .map((w) => w.name)
      .filter((name) => !pdbs.some((pdb) => labelsMatch(pdb.spec?.selector?.matchLabels, podLabels(name))));
    expect(uncovered).toEqual([]);
  });

  it('holds every container of every workload to the policy: probes, limits, non-root, read-only root FS', () => {
    const problems: string[] = [];
    for (const { kind, name, pod } of workloads()) {
      for (const container of pod.containers) {
        const where = `${kind}/${name} container "${container.name}"`;
        for (const probe of PROBE_KINDS)
          if (!container[`${probe}Probe`]) problems.push(`${where} has no ${probe}Probe`);
        problems.push(...resourceProblems(container).map((p) => `${kind}/${name}: ${p}`));
        const sc = container.securityContext ?? {};
        if ((sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot) !== true)
          problems.push(`${where}: runAsNonRoot is not true`);
        if (!(sc.runAsUser ?? pod.securityContext?.runAsUser))
          problems.push(`${where}: no non-zero runAsUser`);
        if (sc.readOnlyRootFilesystem !== true) problems.push(`${where}: readOnlyRootFilesystem is not true`);
        if (sc.allowPrivilegeEscalation !== false)
          problems.push(`${where}: allowPrivilegeEscalation is not false`);
        if (!sc.capabilities?.drop?.includes('ALL')) problems.push(`${where}: capabilities do not drop ALL`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('runs every workload under its own ServiceAccount without a mounted API token', () => {
    const accounts = ofKind<{ metadata: { name: string }; automountServiceAccountToken?: boolean }>(
      objects,
      'ServiceAccount',
    );
    const problems: string[] = [];
    for (const { kind, name, pod } of workloads()) {
      const account = accounts.find((a) => a.metadata.name === pod.serviceAccountName);
      if (!account) problems.push(`${kind}/${name}: ServiceAccount "${pod.serviceAccountName}" not rendered`);
      else if (account.automountServiceAccountToken !== false)
        problems.push(`ServiceAccount ${account.metadata.name} automounts its token`);
      if (pod.automountServiceAccountToken !== false) problems.push(`${kind}/${name} automounts a token`);
    }
    expect(problems).toEqual([]);
    expect(new Set(workloads().map((w) => w.pod.serviceAccountName)).size).toBe(workloads().length);
  });

  it('runs a 3-node NATS cluster whose config includes k8s/base/nats-auth.conf and whose users come from a Secret', () => {
    const nats = ofKind<IStatefulSet>(objects, 'StatefulSet').find((s) => s.metadata?.name === 'nats')!;
    expect(nats.spec?.replicas).toBe(3);
    const pod = nats.spec!.template.spec!;
    const configVolume = pod.volumes?.find((v) => v.configMap)?.configMap?.name;
    const cm = ofKind<IConfigMap>(objects, 'ConfigMap').find((c) => c.metadata?.name === configVolume);
    expect(cm?.data?.['nats-auth.conf']).toBe(
      fs.readFileSync(path.join(REPO_ROOT, 'k8s/base/nats-auth.conf'), 'utf8'),
    );
    expect(cm?.data?.['nats-server.conf']).toMatch(/^include \.\/nats-auth\.conf$/m);
    expect(cm?.data?.['nats-server.conf']).toMatch(/nats-route:\/\/nats-2\.nats-headless/);
    expect(pod.containers[0].envFrom?.map((e) => e.secretRef?.name)).toEqual(['vigil-nats-users']);
    const example = parseYaml(
      fs.readFileSync(path.join(REPO_ROOT, 'k8s/base/nats-users.secret.example.yaml'), 'utf8'),
    ) as ISecret;
    const variables = [...cm!.data!['nats-auth.conf'].matchAll(/password:\s*\$(\w+)/g)].map((m) => m[1]);
    expect(Object.keys(example.stringData ?? {}).sort()).toEqual(variables.sort());
  });

  it("gives each service the NATS user of its own name (vigil-secrets' <APP>_NATS_URL)", () => {
    const problems: string[] = [];
    for (const app of APPS) {
      const container = deployment(app)!.spec!.template.spec!.containers.find((c) => c.name === app)!;
      const natsUrl = containerEnv(container, objects, secret, problems).NATS_URL ?? '';
      const url = new URL(natsUrl);
      if (url.username !== app) problems.push(`${app}: NATS_URL user is "${url.username}"`);
      if (url.hostname !== 'nats') problems.push(`${app}: NATS_URL host is "${url.hostname}"`);
    }
    expect(problems).toEqual([]);
  });

  it('denies all traffic by default and lets each service reach only NATS, Postgres, DNS and what it must', () => {
    const policies = ofKind<INetworkPolicy>(objects, 'NetworkPolicy');
    const denyAll = policies.find(
      (p) =>
        Object.keys(p.spec?.podSelector?.matchLabels ?? {}).length === 0 &&
        !p.spec?.ingress &&
        !p.spec?.egress,
    );
    expect(denyAll?.spec?.policyTypes?.sort()).toEqual(['Egress', 'Ingress']);
    const egress = (app: ServiceName) => {
      const labels = deployment(app)!.spec!.template.metadata!.labels;
      return policies
        .filter((p) => {
          const selector = p.spec?.podSelector?.matchLabels ?? {};
          return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
        })
        .flatMap((p) => p.spec?.egress ?? []);
    };
    const reaches = (
      app: ServiceName,
      port: number,
      peer: (to: NonNullable<ReturnType<typeof egress>[number]['to']>[number]) => boolean,
    ) => egress(app).some((rule) => rule.ports?.some((p) => p.port === port) && (rule.to ?? []).some(peer));
    const natsLabels = podLabels('nats');
    for (const app of APPS) {
      expect([
        app,
        'nats',
        reaches(app, 4222, (to) => labelsMatch(to.podSelector?.matchLabels, natsLabels)),
      ]).toEqual([app, 'nats', true]);
      expect([
        app,
        'postgres',
        reaches(app, 5432, (to) => to.podSelector?.matchLabels?.['vigil.dev/role'] === 'postgres'),
      ]).toEqual([app, 'postgres', true]);
      expect([
        app,
        'dns',
        reaches(app, 53, (to) => to.podSelector?.matchLabels?.['k8s-app'] === 'kube-dns'),
      ]).toEqual([app, 'dns', true]);
      // Every rule names its ports: no service gets "any port" egress.
      expect(egress(app).filter((rule) => !rule.ports?.length)).toEqual([]);
    }
    const outside = (app: ServiceName) =>
      egress(app)
        .filter((rule) => (rule.to ?? []).some((to) => to.ipBlock))
        .flatMap((rule) => rule.ports!.map((p) => p.port))
        .sort();
    expect(outside('audit')).toEqual([]);
    expect(outside('health')).toEqual([443, 80].sort());
    expect(outside('alerting')).toEqual([443, 465, 587].sort());
    expect(outside('reporting')).toEqual([465, 587].sort());
    expect(
      reaches(
        'reporting',
        9090,
        (to) => to.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'monitoring',
      ),
    ).toBe(true);
    for (const role of ['postgres', 'nats']) {
      const labels = role === 'nats' ? natsLabels : { 'vigil.dev/role': 'postgres' };
      const own = policies.filter((p) =>
        Object.entries(p.spec?.podSelector?.matchLabels ?? {}).some(([k, v]) => labels?.[k] === v),
      );
      expect([role, own.some((p) => p.spec?.ingress?.length)]).toEqual([role, true]);
    }
  });

  it('scrapes every service with a ServiceMonitor on its Service port "http"', () => {
    const monitors = ofKind<IServiceMonitor>(objects, 'ServiceMonitor');
    const services = ofKind<IService>(objects, 'Service');
    const problems: string[] = [];
    for (const app of APPS) {
      const service = services.find((s) => s.metadata?.name === app)!;
      const monitor = monitors.find((m) =>
        labelsMatch(m.spec.selector.matchLabels, service.metadata?.labels),
      );
      if (!monitor) problems.push(`${app}: no ServiceMonitor selects its Service`);
      else if (
        !monitor.spec.endpoints?.every(
          (e) => e.path === '/metrics' && service.spec?.ports?.some((p) => p.name === e.port),
        )
      )
        problems.push(`${app}: ServiceMonitor endpoints do not scrape /metrics on a Service port`);
    }
    expect(problems).toEqual([]);
  });

  it('ships the Grafana dashboards in a ConfigMap with the sidecar label', () => {
    const dashboards = ofKind<IConfigMap>(objects, 'ConfigMap').filter(
      (c) => c.metadata?.labels?.grafana_dashboard === '1',
    );
    expect(dashboards.length).toBe(1);
    const json = JSON.parse(dashboards[0].data!['vigil-overview.json']) as { uid: string; panels: unknown[] };
    expect(json.uid).toBe('vigil-overview');
    expect(json.panels.length).toBeGreaterThanOrEqual(9);
  });

  it(
    overlay.cnpg ? 'runs Postgres as a CloudNativePG Cluster of 3 instances' : 'runs a single Postgres',
    () => {
      const clusters = ofKind<CnpgCluster>(objects, 'Cluster');
      const single = ofKind<IStatefulSet>(objects, 'StatefulSet').filter(
        (s) => s.metadata?.name === 'postgres',
      );
      if (overlay.cnpg) {
        expect(
          clusters.map((c) => [c.spec?.instances, c.spec?.inheritedMetadata?.labels?.['vigil.dev/role']]),
        ).toEqual([[3, 'postgres']]);
        const created = [
          clusters[0].spec?.bootstrap?.initdb?.database,
          ...(clusters[0].spec?.bootstrap?.initdb?.postInitSQL ?? []),
        ].join('\n');
        for (const app of APPS) expect(created).toContain(`vigil_${app}`);
        expect(single).toEqual([]);
      } else {
        expect(clusters).toEqual([]);
        expect(
          single.map((s) => [s.spec?.replicas, s.spec?.template.metadata?.labels?.['vigil.dev/role']]),
        ).toEqual([[1, 'postgres']]);
      }
    },
  );

  it(overlay.hpa ? 'autoscales every service from its replica count' : 'does not autoscale', () => {
    const hpas = ofKind<IHorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler');
    if (!overlay.hpa) return expect(hpas).toEqual([]);
    const problems: string[] = [];
    for (const app of APPS) {
      const hpa = hpas.find(
        (h) => h.spec?.scaleTargetRef.kind === 'Deployment' && h.spec.scaleTargetRef.name === app,
      );
      const replicas = deployment(app)?.spec?.replicas ?? 1;
      if (!hpa) problems.push(`${app}: no HorizontalPodAutoscaler`);
      else if ((hpa.spec?.minReplicas ?? 1) !== replicas || hpa.spec.maxReplicas <= replicas)
        problems.push(
          `${app}: HPA ${hpa.spec?.minReplicas}-${hpa.spec?.maxReplicas} vs ${replicas} replicas`,
        );
    }
    expect(problems).toEqual([]);
  });

  it('fits every connection the services may open into Postgres max_connections, at their most replicas', () => {
    const hpas = ofKind<IHorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler');
    const problems: string[] = [];
    const demand = APPS.map((app) => {
      const d = deployment(app);
      const container = d?.spec?.template.spec?.containers.find((c) => c.name === app);
      if (!d || !container) throw new Error(`no Deployment with a container "${app}"`);
      const hpa = hpas.find((h) => h.spec?.scaleTargetRef.name === app);
      const replicas = hpa?.spec?.maxReplicas ?? d.spec?.replicas ?? 1;
      const env = containerEnv(container, objects, secret, problems);
      const perReplica = platformConfigSchema.shape.DATABASE_POOL_MAX.parse(env.DATABASE_POOL_MAX);
      return { app, replicas, perReplica, connections: replicas * perReplica };
    });
    expect(problems).toEqual([]);
    const total = demand.reduce((sum, d) => sum + d.connections, 0);
    const max = postgresMaxConnections(objects);
    // The superuser's reserved slots, and room for the operator's, a migration's and a human's sessions.
    const headroom = 3 + 20;
    expect({ total, demand, fits: total <= max - headroom }).toEqual({ total, demand, fits: true });
  });

  describe.each(APPS)('%s', (app) => {
    const get = () => {
      const d = deployment(app);
      if (!d?.spec?.template.spec) throw new Error(`no Deployment labelled app.kubernetes.io/name=${app}`);
      return { d, pod: d.spec.template.spec, containers: d.spec.template.spec.containers };
    };

    it('is labelled and selected as part of vigil', () => {
      const { d } = get();
      const templateLabels = d.spec?.template.metadata?.labels ?? {};
      for (const labels of [d.metadata?.labels, templateLabels])
        expect(labels).toMatchObject({ 'app.kubernetes.io/name': app, 'app.kubernetes.io/part-of': 'vigil' });
      expect(labelsMatch(d.spec?.selector.matchLabels, templateLabels)).toBe(true);
    });

    it(`probes ${Object.values(PROBE_PATHS).join(', ')} on the "http" port ${SERVICE_PORTS[app]}`, () => {
      const { containers } = get();
      expect(containers.find((c) => c.name === app)).toBeDefined();
      expect(containers.flatMap((c) => probeProblems(app, c))).toEqual([]);
    });

    it('sets resource requests and limits on every container', () => {
      const { containers, pod } = get();
      expect([...containers, ...(pod.initContainers ?? [])].flatMap(resourceProblems)).toEqual([]);
    });

    it('runs every container as non-root 10001 on a read-only root filesystem, without privileges', () => {
      const { containers, pod } = get();
      expect([...containers, ...(pod.initContainers ?? [])].flatMap((c) => securityProblems(pod, c))).toEqual(
        [],
      );
      expect(pod.automountServiceAccountToken).toBe(false);
    });

    it('gets an environment that resolves and passes the platform config schema', () => {
      const { containers } = get();
      const problems: string[] = [];
      const env = containerEnv(
        containers.find((c) => c.name === app)!,
        objects,
        secret,
        problems,
      );
      expect(problems).toEqual([]);
      expect(env.PORT).toBe(String(SERVICE_PORTS[app]));
      expect(env.DATABASE_URL).toBeDefined();
      for (const key of APP_ENV[app]) expect({ [key]: env[key] }).toEqual({ [key]: expect.any(String) });
      const parsed = platformConfigSchema.safeParse(env);
      expect(
        parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      ).toEqual([]);
    });

    it('shuts down within its grace period: preStop sleep + SHUTDOWN_GRACE_MS < terminationGracePeriodSeconds', () => {
      const { containers, pod } = get();
      const container = containers.find((c) => c.name === app)!;
      const preStop =
        sleepSeconds(container.lifecycle?.preStop?.exec?.command) ??
        container.lifecycle?.preStop?.sleep?.seconds;
      expect(preStop).toBeGreaterThan(0);
      const env = containerEnv(container, objects, secret, []);
      const graceMs = platformConfigSchema.shape.SHUTDOWN_GRACE_MS.parse(env.SHUTDOWN_GRACE_MS);
      expect(pod.terminationGracePeriodSeconds).toBeDefined();
      expect(preStop! * 1000 + graceMs).toBeLessThan(pod.terminationGracePeriodSeconds! * 1000);
    });

    it('has a Service on port 80 that reaches the "http" port of its pods', () => {
      const { d } = get();
      const service = ofKind<IService>(objects, 'Service').find((s) => s.metadata?.name === app);
      expect(service).toBeDefined();
      expect(labelsMatch(service?.spec?.selector, d.spec?.template.metadata?.labels)).toBe(true);
      const others = APPS.filter((a) => a !== app).map((a) => deployment(a)?.spec?.template.metadata?.labels);
      expect(others.filter((labels) => labelsMatch(service?.spec?.selector, labels))).toEqual([]);
      const port = service?.spec?.ports?.find((p) => p.port === 80);
      expect(port).toBeDefined();
      expect(['http', SERVICE_PORTS[app]]).toContain(port?.targetPort);
    });
  });

  it('gives health a TARGETS_FILE whose targets probe other services through their Services', () => {
    const d = deployment('health')!;
    const pod = d.spec!.template.spec!;
    const container = pod.containers.find((c) => c.name === 'health')!;
    const file = containerEnv(container, objects, secret, []).TARGETS_FILE;
    const mount = (container.volumeMounts ?? []).find((m) => file.startsWith(`${m.mountPath}/`));
    expect(mount).toBeDefined();
    const volume = (pod.volumes ?? []).find((v) => v.name === mount!.name);
    const relative = file.slice(mount!.mountPath.length + 1);
    const key = volume?.configMap?.items?.find((i) => i.path === relative)?.key ?? relative;
    const cm = ofKind<IConfigMap>(objects, 'ConfigMap').find(
      (c) => c.metadata?.name === volume?.configMap?.name,
    );
    expect(cm?.data?.[key]).toBeDefined();

    const { targets } = parseYaml(cm!.data![key]) as { targets: Record<string, unknown>[] };
    expect(targets.length).toBeGreaterThan(0);
    const services = ofKind<IService>(objects, 'Service');
    const problems: string[] = [];
    const env = containerEnv(container, objects, secret, problems);
    for (const target of targets) {
      problems.push(...targetFieldProblems(target));
      for (const step of requestsOf(target)) {
        const url = new URL(String(step.url));
        const service = services.find((s) => s.metadata?.name === url.hostname.split('.')[0]);
        if (!service) continue; // an outside target: nothing to hold it to
        const port = Number(url.port || 80);
        if (!service.spec?.ports?.some((p) => p.port === port))
          problems.push(`target ${url.href}: Service ${service.metadata?.name} has no port ${port}`);
        // A signed-in synthetic flow may use the service's API; plain targets probe a probe path.
        if (target.type !== 'synthetic' && !Object.values<string>(PROBE_PATHS).includes(url.pathname))
          problems.push(`target ${url.href}: ${url.pathname} is not a probe path`);
      }
      // Every ${NAME} a target references reaches health's environment (from the Secret, never the file).
      for (const name of environmentReferences(target))
        if (env[name] === undefined)
          problems.push(`target ${String(target.name)}: \${${name}} is not in health's env`);
    }
    expect(problems).toEqual([]);
    expect(targets.some((t) => environmentReferences(t).length > 0)).toBe(true);
  });
});
