#!/usr/bin/env node
// Benchmark of the monitor's validation pipeline (suites/oi4-oec/monitor): how many messages per second one
// core judges, for a realistic mix of OI4 traffic. The pipeline is fed in-process, without MQTT.
// With --e2e it also measures the path through an aedes broker: a worker thread runs the broker and a
// publisher that floods the mix (QoS 0); the main thread is the monitor (an MQTT client on Oi4/# feeding the
// pipeline), and its event-loop utilisation says how much of its one core that took.
// Usage: node bench/monitor.mjs [messages=200000] [--e2e] [--apps=20]
//        node --cpu-prof bench/monitor.mjs        (writes a .cpuprofile to look at where the time goes)
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = isMainThread ? process.argv.slice(2) : workerData.args;
const total = Number(args.find((a) => /^\d+$/.test(a)) ?? 200_000);
const e2e = args.includes('--e2e');
const appCount = Number(args.find((a) => a.startsWith('--apps='))?.slice(7) ?? 20);

// The pipeline is TypeScript: bundle it once with esbuild (a dependency of the CLI already) inside the
// project, so the schemas are found from the project root.
async function loadPipeline() {
  const { build } = await import('esbuild');
  const outDir = join(root, 'node_modules', '.cache', 'oi4-conformance');
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, 'bench-monitor.mjs');
  await build({
    entryPoints: [join(root, 'suites', 'oi4-oec', 'monitor', 'index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  return import(pathToFileURL(outfile).href);
}

// --- the mix ------------------------------------------------------------------------------------------
// Per application and round: MAM, Health, License and Profile publications, and two Get -> Pub pairs
// (MAM and License, the answers a registry asks for). 8 messages, about 0.9 KB on average; every message is valid, so the figure is the cost of
// judging conformant traffic (violations cost a little more: a sample is taken).

const CLASS = {
  MAM: '360ca8f3-5e66-42a2-8f10-9cdf45f4bf58',
  Health: 'd8e7b6df-42ba-448a-975a-199f59e8ffeb',
  License: '2ae0505e-2830-4980-b65e-0bbdf08e2d45',
  Profile: '48017c6a-05c8-48d7-9d85-4b08bbb707f3',
};
const REQUESTER = 'Registry/registry.example.com/OEC,20Registry/REG-1/R0001';
let clock = 1_767_225_600_000;

function mam(appId, serial) {
  return {
    Manufacturer: { Locale: 'en-US', Text: 'ACME Industrial Automation GmbH & Co. KG' },
    ManufacturerUri: 'acme.com',
    Model: { Locale: 'en-US', Text: 'Edge Application for Weather Data' },
    ProductCode: 'EA-100',
    HardwareRevision: '',
    SoftwareRevision: '1.4.2.0',
    DeviceRevision: '',
    DeviceManual: 'https://acme.com/manuals/ea-100.pdf',
    DeviceClass: 'Oi4.Utility',
    SerialNumber: serial,
    ProductInstanceUri: appId,
    RevisionCounter: 7,
    Description: { Locale: 'en-US', Text: 'Collects weather data from field devices and publishes it on the OEC message bus' },
  };
}
const PAYLOAD = {
  MAM: mam,
  Health: () => ({ Health: 'NORMAL_0', HealthScore: 100 }),
  // the components an application ships under one license id (MIT here)
  License: () => ({
    Components: [
      ['mqtt', 'MQTT.js contributors'],
      ['ajv', 'Evgeny Poberezkin'],
      ['ajv-formats', 'Evgeny Poberezkin'],
      ['yaml', 'Eemeli Aro'],
      ['commander', 'TJ Holowaychuk'],
      ['undici', 'Matteo Collina, Robert Nagy'],
      ['aedes', 'Gavin D\'mello, Matteo Collina'],
      ['mqtt-packet', 'Matteo Collina, Adam Rudd'],
      ['fast-uri', 'Vincent Le Goff'],
      ['json-schema-traverse', 'Evgeny Poberezkin'],
      ['debug', 'Josh Junon, TJ Holowaychuk'],
      ['ws', 'Einar Otto Stangvik'],
    ].map(([Component, author]) => ({ Component, LicAuthors: [author], LicAddText: '' })),
  }),
  Profile: () => ({ Resources: ['MAM', 'Health', 'License', 'LicenseText', 'PublicationList', 'Profile'] }),
};
const WRITER = { MAM: 10, Health: 11, License: 12, Profile: 13 };

function publication(appId, serial, resource, { correlationId, withSource = true } = {}) {
  const publisherId = `Utility/${appId}`;
  const message = {
    MessageId: `${clock++}-${publisherId}`,
    MessageType: 'ua-data',
    PublisherId: publisherId,
    DataSetClassId: CLASS[resource],
    CorrelationId: correlationId ?? '',
    Messages: [
      {
        DataSetWriterId: WRITER[resource],
        SequenceNumber: clock % 65536,
        Timestamp: new Date(clock).toISOString(),
        ...(resource === 'License' && { Filter: 'MIT' }),
        Source: appId,
        Payload: PAYLOAD[resource](appId, serial),
      },
    ],
  };
  const topic = `Oi4/Utility/${appId}/Pub/${resource}${withSource ? `/${appId}` : ''}${resource === 'License' && withSource ? '/MIT' : ''}`;
  return [topic, Buffer.from(JSON.stringify(message))];
}

function getRequest(appId, resource) {
  const messageId = `${clock++}-${REQUESTER}`;
  const body = { MessageId: messageId, MessageType: 'ua-data', PublisherId: REQUESTER, DataSetClassId: CLASS[resource], Messages: [] };
  return { topic: `Oi4/Utility/${appId}/Get/${resource}`, payload: Buffer.from(JSON.stringify(body)), messageId };
}

/** One round of traffic of every application, in the order a bus would carry it. */
function round() {
  const out = [];
  for (let i = 0; i < appCount; i++) {
    const serial = `SN${String(i).padStart(5, '0')}`;
    const appId = `acme.com/Edge,20App/EA-100/${serial}`;
    for (const resource of ['MAM', 'Health', 'License', 'Profile']) out.push(publication(appId, serial, resource));
    for (const resource of ['MAM', 'License']) {
      const get = getRequest(appId, resource);
      out.push([get.topic, get.payload]);
      out.push(publication(appId, serial, resource, { correlationId: get.messageId, withSource: false }));
    }
  }
  return out;
}

// distinct MessageIds across rounds, so pairing sees every Get anew
const ROUNDS = 50;
const mix = [];
for (let r = 0; r < ROUNDS; r++) mix.push(...round());
const averageBytes = mix.reduce((n, [, p]) => n + p.byteLength, 0) / mix.length;

// the worker thread (--e2e) builds the same mix: the clock above makes it deterministic
let MonitorPipeline;
if (!isMainThread) {
  await brokerWorker();
} else {
  ({ MonitorPipeline } = await loadPipeline());
  // warm-up: compiles the schemas, lets the JIT settle
  check(inProcess(Math.min(20_000, total)).snapshot, Math.min(20_000, total));
  const measured = inProcess(total);
  check(measured.snapshot, total);
  const result = {
    node: process.version,
    messages: total,
    applications: appCount,
    averageBytes: Math.round(averageBytes),
    inProcess: {
      messagesPerSecond: Math.round(total / (measured.elapsedMs / 1000)),
      microsecondsPerMessage: Number(((measured.elapsedMs * 1000) / total).toFixed(1)),
      megabytesPerSecond: Number(((total * averageBytes) / 1e6 / (measured.elapsedMs / 1000)).toFixed(1)),
      getsPaired: measured.snapshot.gets.answered,
    },
  };
  // bounded memory: the pipeline keeps counters and samples, not messages
  result.inProcess.peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  if (e2e) result.endToEnd = await endToEnd(total);
  console.log(JSON.stringify(result, null, 2));
}

function inProcess(count) {
  const pipeline = new MonitorPipeline({ responseTimeoutMs: 2000 });
  // simulated arrival times: 20,000 messages per second
  const step = 1000 / 20_000;
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const [topic, payload] = mix[i % mix.length];
    pipeline.accept(topic, payload, i * step);
  }
  const elapsedMs = performance.now() - started;
  return { elapsedMs, snapshot: pipeline.finish(count * step + 10_000) };
}

function check(snapshot, count) {
  const violations = snapshot.appIds.reduce((n, a) => n + a.violationCount, 0);
  if (snapshot.messages !== count || violations !== 0 || snapshot.internalErrors.count !== 0) {
    const first = snapshot.appIds.find((a) => a.violationCount > 0);
    throw new Error(`the mix is not judged clean: ${violations} violations (${JSON.stringify(first?.violations[0] ?? snapshot.internalErrors)})`);
  }
}


/** The monitor's side: an MQTT client on Oi4/# feeding the pipeline, on this (main) thread. */
async function endToEnd(count) {
  const mqtt = (await import('mqtt')).default;
  const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { args: [String(count), `--apps=${appCount}`] } });
  const failed = once(worker, 'error').then(([error]) => {
    throw error;
  });
  const [{ port }] = await Promise.race([once(worker, 'message'), failed]);
  const pipeline = new MonitorPipeline({ responseTimeoutMs: 2000 });
  const subscriber = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'bench-monitor', protocolVersion: 4, reconnectPeriod: 0 });
  let received = 0;
  let started = 0;
  let busyBefore;
  const done = new Promise((resolve, reject) => {
    // a lost message would leave the count short forever: the deadline turns that into an error
    const deadline = setTimeout(() => reject(new Error(`end-to-end: ${received} of ${count} messages arrived within 120 s`)), 120_000);
    subscriber.on('message', (topic, payload) => {
      pipeline.accept(topic, payload, performance.now());
      if (++received === count) {
        clearTimeout(deadline);
        resolve(performance.now() - started);
      }
    });
  });
  await subscriber.subscribeAsync('Oi4/#', { qos: 0 });
  started = performance.now();
  busyBefore = performance.eventLoopUtilization();
  worker.postMessage('go');
  const elapsedMs = await Promise.race([done, failed]);
  const busy = performance.eventLoopUtilization(busyBefore).utilization;
  await subscriber.endAsync(true);
  await worker.terminate();
  check(pipeline.snapshot(), count);
  const rate = count / (elapsedMs / 1000);
  return {
    messages: count,
    messagesPerSecond: Math.round(rate),
    // the share of the monitor thread's time spent working; below 1 the publisher side was the limit
    monitorThreadBusy: Number(busy.toFixed(2)),
    monitorCapacityPerSecond: Math.round(rate / busy),
  };
}

/** The bus's side, on a worker thread: an aedes broker and a publisher flooding the mix. */
async function brokerWorker() {
  const { createServer } = await import('node:net');
  const { Aedes } = await import('aedes');
  const mqtt = (await import('mqtt')).default;
  const broker = await Aedes.createBroker();
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    broker.handle(socket);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = server.address().port;
  const publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'bench-publisher', protocolVersion: 4, reconnectPeriod: 0 });
  parentPort.postMessage({ port });
  await once(parentPort, 'message');
  // publish in slices that wait for the socket to drain, so the publisher does not buffer the whole run
  for (let i = 0; i < total; i++) {
    const [topic, payload] = mix[i % mix.length];
    publisher.publish(topic, payload, { qos: 0 });
    if (i % 100 === 99) {
      if (publisher.stream.writableNeedDrain) await once(publisher.stream, 'drain');
      else await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
