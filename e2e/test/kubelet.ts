// What the kubelet does with the probes of a container, reduced to what the contract test needs: each
// probe runs every periodSeconds with a timeoutSeconds deadline; the startup probe gates the other
// two; failureThreshold consecutive liveness failures restart the container; readiness flips the pod
// out of (and back into) its Service endpoints.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { parseAllDocuments } from 'yaml';

export interface HttpProbeSpec {
  httpGet: { path: string; port: string | number };
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
  successThreshold?: number;
}

export interface ContainerSpec {
  name: string;
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string }[];
  startupProbe?: HttpProbeSpec;
  readinessProbe?: HttpProbeSpec;
  livenessProbe?: HttpProbeSpec;
  lifecycle?: { preStop?: { exec?: { command?: string[] } } };
}

export interface DeploymentSpec {
  name: string;
  terminationGracePeriodSeconds: number;
  container: ContainerSpec;
}

export interface RenderedManifests {
  deployments: Record<string, DeploymentSpec>;
  configMaps: Record<string, Record<string, string>>;
}

interface K8sDocument {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  spec?: {
    template?: { spec?: { terminationGracePeriodSeconds?: number; containers?: ContainerSpec[] } };
  };
}

/** `kubectl kustomize k8s/overlays/<overlay>`: the objects a cluster would really get. */
export function renderOverlay(repoRoot: string, overlay: string): RenderedManifests {
  const dir = path.join(repoRoot, 'k8s', 'overlays', overlay);
  const result = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.error)
    throw new Error(`kubectl kustomize could not run (install kubectl): ${result.error.message}`);
  if (result.status !== 0)
    throw new Error(`kubectl kustomize ${dir} exited ${result.status}: ${result.stderr}`);
  const rendered: RenderedManifests = { deployments: {}, configMaps: {} };
  for (const doc of parseAllDocuments(result.stdout)) {
    const obj = doc.toJS() as K8sDocument | null;
    if (!obj) continue;
    if (obj.kind === 'ConfigMap') {
      // Generated names carry a hash suffix; the test looks them up by their base name.
      rendered.configMaps[obj.metadata.name.replace(/-[a-z0-9]{10}$/, '')] = obj.data ?? {};
    }
    if (obj.kind === 'Deployment') {
      const pod = obj.spec?.template?.spec;
      const container = pod?.containers?.[0];
      if (!container) throw new Error(`Deployment ${obj.metadata.name} has no container`);
      rendered.deployments[obj.metadata.name] = {
        name: obj.metadata.name,
        terminationGracePeriodSeconds: pod?.terminationGracePeriodSeconds ?? 30,
        container,
      };
    }
  }
  return rendered;
}

/** The containerPort a probe's `port` (a name or a number) refers to. */
export function resolveProbePort(container: ContainerSpec, port: string | number): number {
  if (typeof port === 'number') return port;
  const named = container.ports?.find((p) => p.name === port);
  if (!named) throw new Error(`container ${container.name} has no port named "${port}"`);
  return named.containerPort;
}

export interface ProbeResult {
  at: number;
  ok: boolean;
  status: number | null;
  body: string;
}

/** One probe of one container, run on its own schedule until stopped. */
export class ProbeLoop {
  readonly results: ProbeResult[] = [];
  private consecutiveFailures = 0;
  private consecutiveSuccesses = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Times failureThreshold consecutive failures were reached (a liveness restart, a readiness drop). */
  trips = 0;
  /** Readiness: in the Service endpoints (starts false, as a pod does). */
  passing = false;

  constructor(
    readonly url: string,
    readonly spec: HttpProbeSpec,
    private readonly onTrip: () => void = () => undefined,
  ) {}

  get periodMs(): number {
    return (this.spec.periodSeconds ?? 10) * 1000;
  }

  get timeoutMs(): number {
    return (this.spec.timeoutSeconds ?? 1) * 1000;
  }

  get failureThreshold(): number {
    return this.spec.failureThreshold ?? 3;
  }

  start(): this {
    const tick = async () => {
      if (this.stopped) return;
      await this.probeOnce();
      if (!this.stopped) this.timer = setTimeout(() => void tick(), this.periodMs);
    };
    void tick();
    return this;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** One probe as the kubelet sends it: a GET with the timeout; 200-399 passes, anything else fails. */
  async probeOnce(): Promise<ProbeResult> {
    const at = Date.now();
    let result: ProbeResult;
    try {
      const res = await fetch(this.url, { signal: AbortSignal.timeout(this.timeoutMs) });
      const body = await res.text();
      result = { at, ok: res.status >= 200 && res.status < 400, status: res.status, body };
    } catch (error) {
      result = { at, ok: false, status: null, body: error instanceof Error ? error.message : String(error) };
    }
    this.results.push(result);
    if (result.ok) {
      this.consecutiveFailures = 0;
      this.consecutiveSuccesses += 1;
      if (this.consecutiveSuccesses >= (this.spec.successThreshold ?? 1)) this.passing = true;
    } else {
      this.consecutiveSuccesses = 0;
      this.consecutiveFailures += 1;
      if (this.consecutiveFailures === this.failureThreshold) {
        this.trips += 1;
        this.passing = false;
        this.onTrip();
      }
    }
    return result;
  }

  last(): ProbeResult | undefined {
    return this.results.at(-1);
  }

  since(at: number): ProbeResult[] {
    return this.results.filter((r) => r.at >= at);
  }
}
