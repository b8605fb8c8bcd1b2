/** Hand-built OI4 messages for the monitor tests: valid by default, with one deviation where a test asks. */
import { DATA_SET_CLASS_IDS, buildGetRequest, buildTopic, encodeNetworkMessage, type Resource, type ServiceType } from '../../harness/protocols/oi4/index.js';

export const APP_A = 'acme.com/Edge,20App/EA-100/SN0001';
export const APP_B = 'acme.com/Edge,20App/EA-100/SN0002';
export const REQUESTER = 'tools.example.com/Bus,20Tool/BT-1/T0001';
export const SERVICE: ServiceType = 'Utility';

let stamp = 1_767_225_600_000;

export const PAYLOADS = {
  MAM: (appId: string) => {
    const [manufacturerUri = '', , productCode = '', serial = ''] = appId.split('/');
    return {
      Manufacturer: { Locale: 'en-US', Text: 'ACME' },
      ManufacturerUri: manufacturerUri,
      Model: { Locale: 'en-US', Text: 'Edge App' },
      ProductCode: productCode,
      HardwareRevision: '',
      SoftwareRevision: '1.0.0',
      DeviceRevision: '',
      DeviceManual: '',
      DeviceClass: 'Oi4.Utility',
      SerialNumber: serial,
      ProductInstanceUri: appId,
      RevisionCounter: 1,
      Description: { Locale: 'en-US', Text: 'An edge application' },
    };
  },
  Health: () => ({ Health: 'NORMAL_0', HealthScore: 100 }),
  License: () => ({ Components: [{ Component: 'mqtt', LicAuthors: ['MQTT.js contributors'], LicAddText: '' }] }),
  Profile: () => ({ Resources: ['MAM', 'Health', 'License', 'LicenseText', 'PublicationList', 'Profile'] }),
} as const;

export interface PubOptions {
  readonly appId?: string;
  readonly serviceType?: string;
  /** default <ServiceType>/<AppId> */
  readonly publisherId?: string;
  /** the topic; default Oi4/<ST>/<AppId>/Pub/<Resource>/<AppId> */
  readonly topic?: string;
  readonly payload?: unknown;
  readonly dataSetClassId?: string | null;
  readonly correlationId?: string;
  readonly writerId?: number;
  /** extra NetworkMessage fields */
  readonly extra?: Record<string, unknown>;
  /** the Filter field of the DataSetMessage */
  readonly filter?: string;
}

export function pubTopic(resource: Resource, appId = APP_A, serviceType: string = SERVICE, withSource = true): string {
  return `Oi4/${serviceType}/${appId}/Pub/${resource}${withSource ? `/${appId}` : ''}`;
}

/** A publication of `resource` by an application: [topic, payload bytes]. */
export function pub(resource: 'MAM' | 'Health' | 'License' | 'Profile', options: PubOptions = {}): [string, Buffer] {
  const appId = options.appId ?? APP_A;
  const serviceType = options.serviceType ?? SERVICE;
  const publisherId = options.publisherId ?? `${serviceType}/${appId}`;
  const classId = options.dataSetClassId === undefined ? DATA_SET_CLASS_IDS[resource] : options.dataSetClassId;
  const message = {
    MessageId: `${stamp++}-${publisherId}`,
    MessageType: 'ua-data',
    PublisherId: publisherId,
    ...(classId !== null && { DataSetClassId: classId }),
    ...(options.correlationId !== undefined && { CorrelationId: options.correlationId }),
    Messages: [
      {
        DataSetWriterId: options.writerId ?? 10,
        Timestamp: '2026-01-01T10:00:00.000Z',
        ...(options.filter !== undefined && { Filter: options.filter }),
        Source: appId,
        Payload: options.payload ?? PAYLOADS[resource](appId),
      },
    ],
    ...options.extra,
  };
  return [options.topic ?? pubTopic(resource, appId, serviceType), Buffer.from(JSON.stringify(message))];
}

/** A Get of `resource` sent by REQUESTER to `appId` (8 levels unless a source is given): [topic, payload, MessageId]. */
export function get(resource: Resource, options: { appId?: string; source?: string; requester?: string; serviceType?: ServiceType } = {}): [string, Buffer, string] {
  const appId = options.appId ?? APP_A;
  const topic = buildTopic({ serviceType: options.serviceType ?? SERVICE, appId, method: 'Get', resource, ...(options.source !== undefined && { source: options.source }) });
  const request = buildGetRequest({ publisherId: `Utility/${options.requester ?? REQUESTER}`, resource });
  return [topic, encodeNetworkMessage(request), request.MessageId];
}
