// The probe contract: each built service is probed exactly as its Deployment in k8s/overlays/prod
// says (path, port, periodSeconds, timeoutSeconds, failureThreshold), with the shutdown timings of
// the rendered vigil-config, through boot, a NATS outage, recovery and SIGTERM. A kubelet would
// never restart a container nor route traffic to a draining pod.
import { repoRoot, waitFor, type ServiceName } from '@vigil/testing';

import {
  ProbeLoop,
  renderOverlay,
  resolveProbePort,
  type DeploymentSpec,
  type HttpProbeSpec,
} from './kubelet';
import { SERVICES, startSystem, type VigilSystem } from './system';

const manifests = renderOverlay(repoRoot(), 'prod');
const vigilConfig = manifests.configMaps['vigil-config'] ?? {};
/** Config that changes probe and shutdown behaviour is taken from the manifests, not invented here. */
const MANIFEST_ENV = Object.fromEntries(
  Object.entries(vigilConfig).filter(([key]) => /^(SHUTDOWN_|HEALTH_CHECK_|EVENT_LOOP_)/.test(key)),
);

interface Pod {
  name: ServiceName;
  deployment: DeploymentSpec;
  startup: ProbeLoop;
  readiness?: ProbeLoop;
  liveness?: ProbeLoop;
  restarts: number;
}

function probeSpec(deployment: DeploymentSpec, kind: 'startup' | 'readiness' | 'liveness'): HttpProbeSpec {
  const spec = deployment.container[`${kind}Probe`];
  if (!spec?.httpGet) throw new Error(`${deployment.name}: no httpGet ${kind}Probe`);
  return spec;
}

/** Seconds of the preStop `sleep N` hook (it runs inside terminationGracePeriodSeconds, before SIGTERM). */
function preStopSeconds(deployment: DeploymentSpec): number {
  const command = deployment.container.lifecycle?.preStop?.exec?.command ?? [];
  return command[0] === 'sleep' ? Number(command[1]) : 0;
}

/** The longest a readiness flip can take: failureThreshold periods plus a background check cycle. */
function readinessFlipMs(loop: ProbeLoop): number {
  const checkCycle =
    Number(MANIFEST_ENV.HEALTH_CHECK_INTERVAL_MS ?? 2000) +
    Number(MANIFEST_ENV.HEALTH_CHECK_TIMEOUT_MS ?? 1000);
  return (loop.failureThreshold + 1) * loop.periodMs + loop.timeoutMs + checkCycle + 5000;
}

describe('k8s probe contract (k8s/overlays/prod, built services)', () => {
  let system: VigilSystem;
  const pods = {} as Record<ServiceName, Pod>;

  const url = (pod: Pod, spec: HttpProbeSpec) => {
    const container = pod.deployment.container;
    // The probe must reach a port the manifest makes the service listen on (PORT or MANAGEMENT_PORT);
    // the test runs the service on free ports instead, so the matching one is substituted.
    const probePort = String(resolveProbePort(container, spec.httpGet.port));
    const variable = container.env?.find(
      (e) => ['PORT', 'MANAGEMENT_PORT'].includes(e.name) && e.value === probePort,
    )?.name;
    expect({ [pod.name]: variable }).toEqual({ [pod.name]: expect.stringMatching(/^(MANAGEMENT_)?PORT$/) });
    const service = system.services[pod.name];
    const port = variable === 'MANAGEMENT_PORT' ? service.managementPort : service.port;
    return `http://127.0.0.1:${port}${spec.httpGet.path}`;
  };

  beforeAll(async () => {
    system = await startSystem({ env: MANIFEST_ENV, waitForReady: false });
    for (const name of SERVICES) {
      const deployment = manifests.deployments[name];
      if (!deployment) throw new Error(`k8s/overlays/prod renders no Deployment "${name}"`);
      const pod: Pod = { name, deployment, restarts: 0, startup: undefined as unknown as ProbeLoop };
      pod.startup = new ProbeLoop(
        url(pod, probeSpec(deployment, 'startup')),
        probeSpec(deployment, 'startup'),
        () => {
          pod.restarts += 1;
        },
      ).start();
      pods[name] = pod;
    }
  });

  afterAll(async () => {
    for (const pod of Object.values(pods))
      for (const loop of [pod.startup, pod.readiness, pod.liveness]) loop?.stop();
    await system?.stop();
  });

  it('passes startup before its failureThreshold, then turns ready with liveness passing', async () => {
    await Promise.all(
      SERVICES.map(async (name) => {
        const pod = pods[name];
        await waitFor(() => pod.startup.passing || pod.restarts > 0, {
          timeoutMs: pod.startup.failureThreshold * pod.startup.periodMs + pod.startup.timeoutMs,
          intervalMs: 100,
          description: `${name} startup probe`,
        });
        expect({ [name]: pod.restarts }).toEqual({ [name]: 0 });
        pod.startup.stop();
        // Startup passed: the kubelet hands over to readiness and liveness.
        const readiness = probeSpec(pod.deployment, 'readiness');
        const liveness = probeSpec(pod.deployment, 'liveness');
        pod.readiness = new ProbeLoop(url(pod, readiness), readiness).start();
        pod.liveness = new ProbeLoop(url(pod, liveness), liveness, () => {
          pod.restarts += 1;
        }).start();
        await waitFor(() => pod.readiness?.passing, {
          timeoutMs: 60_000,
          intervalMs: 100,
          description: `${name} readiness after startup`,
        });
      }),
    );
    for (const name of SERVICES)
      expect({ [name]: pods[name].liveness?.last()?.status }).toEqual({ [name]: 200 });
  }, 180_000);

  it('drops every pod from its endpoints during a NATS outage, without a single liveness failure', async () => {
    const pids = SERVICES.map((s) => system.services[s].process.pid);
    await system.nats.stop();
    const stoppedAt = Date.now();
    await Promise.all(
      SERVICES.map(async (name) => {
        const readiness = pods[name].readiness!;
        await waitFor(() => !readiness.passing, {
          timeoutMs: readinessFlipMs(readiness),
          intervalMs: 100,
          description: `${name} readiness failing ${readiness.failureThreshold} times after NATS stopped`,
        });
        const failure = readiness.last()!;
        expect({ [name]: failure.status }).toEqual({ [name]: 503 });
        expect(failure.body).toContain('nats');
      }),
    );
    // Liveness keeps passing through the outage: at least two liveness periods observed, all 200.
    await Promise.all(
      SERVICES.map((name) =>
        waitFor(() => pods[name].liveness!.since(stoppedAt).length >= 2, {
          timeoutMs: 3 * pods[name].liveness!.periodMs,
          intervalMs: 200,
          description: `${name} liveness probed twice during the outage`,
        }),
      ),
    );
    for (const name of SERVICES) {
      expect({ [name]: pods[name].liveness!.since(stoppedAt).map((r) => r.status) }).toEqual({
        [name]: pods[name].liveness!.since(stoppedAt).map(() => 200),
      });
      expect({ [name]: pods[name].restarts }).toEqual({ [name]: 0 });
    }
    expect(SERVICES.map((s) => system.services[s].process.pid)).toEqual(pids);
  }, 180_000);

  it('returns every pod to its endpoints once NATS is back, still without a restart', async () => {
    await system.nats.restart();
    await Promise.all(
      SERVICES.map((name) =>
        waitFor(() => pods[name].readiness!.passing, {
          timeoutMs: 60_000,
          intervalMs: 100,
          description: `${name} readiness after NATS restarted`,
        }),
      ),
    );
    for (const name of SERVICES) expect({ [name]: pods[name].restarts }).toEqual({ [name]: 0 });
  }, 120_000);

  it('answers readiness 503 at once on SIGTERM and exits 0 within terminationGracePeriodSeconds', async () => {
    await Promise.all(
      SERVICES.map(async (name) => {
        const pod = pods[name];
        pod.readiness!.stop();
        pod.liveness!.stop();
        const processHandle = system.services[name].process;
        processHandle.kill('SIGTERM');
        // The kubelet's next readiness probe, sent right away, already fails.
        await waitFor(async () => (await pod.readiness!.probeOnce()).status === 503, {
          timeoutMs: pod.readiness!.timeoutMs,
          intervalMs: 20,
          description: `${name} readiness 503 after SIGTERM`,
        });
        // preStop already ran before SIGTERM in a real pod: what is left of the grace period is the bound.
        const budgetMs =
          (pod.deployment.terminationGracePeriodSeconds - preStopSeconds(pod.deployment)) * 1000;
        const exit = await processHandle.waitForExit(budgetMs);
        expect({ [name]: exit }).toEqual({ [name]: { code: 0, signal: null } });
      }),
    );
  }, 120_000);
});
