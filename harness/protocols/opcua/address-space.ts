import type { OpcUaSession } from './connection.js';
import type { ValueSummary } from './summary.js';

/**
 * Reading what a device says about itself: the server's identity (ServerStatus, BuildInfo, OPC 10000-5) and
 * the devices of the DI DeviceSet (OPC 10000-100). Nodes are found by browse name in the DI namespace,
 * whose index is looked up by URI in the NamespaceArray, never assumed. Judging what was read is the
 * suites' job.
 */

export const DI_NAMESPACE_URI = 'http://opcfoundation.org/UA/DI/';
/** DeviceType's numeric id inside the DI namespace (Opc.Ua.Di.NodeSet2.xml) */
export const DI_DEVICE_TYPE_ID = 1002;

// ns=0 node ids (OPC 10000-6 NodeIds.csv)
const ID = {
  ObjectsFolder: 85,
  BaseObjectType: 58,
  HierarchicalReferences: 33,
  HasSubtype: 45,
  HasProperty: 46,
  NamespaceArray: 2255,
  ServerStatus_State: 2259,
  ServerStatus_CurrentTime: 2258,
  BuildInfo_ProductUri: 2262,
  BuildInfo_ManufacturerName: 2263,
  BuildInfo_ProductName: 2261,
  BuildInfo_SoftwareVersion: 2264,
  BuildInfo_BuildNumber: 2265,
  BuildInfo_BuildDate: 2266,
} as const;

const ATTRIBUTE = { BrowseName: 3, Value: 13, DataType: 14 } as const;

/** Names of the ns=0 data types a nameplate uses; others are shown by node id. */
const DATA_TYPE_NAMES: Readonly<Record<string, string>> = {
  'ns=0;i=1': 'Boolean', 'ns=0;i=6': 'Int32', 'ns=0;i=7': 'UInt32', 'ns=0;i=12': 'String', 'ns=0;i=13': 'DateTime',
  'ns=0;i=15': 'ByteString', 'ns=0;i=21': 'LocalizedText', 'ns=0;i=23': 'DataValue', 'ns=0;i=24': 'BaseDataType',
};

export interface ServerIdentityReading {
  /** ServerState name when it is one of the enumeration, else the number; the read's status otherwise */
  readonly state: ValueSummary;
  readonly currentTime: ValueSummary;
  readonly buildInfo: Readonly<Record<'ProductUri' | 'ManufacturerName' | 'ProductName' | 'SoftwareVersion' | 'BuildNumber' | 'BuildDate', ValueSummary>>;
}

export async function readServerIdentity(session: OpcUaSession): Promise<ServerIdentityReading> {
  const fields = ['ProductUri', 'ManufacturerName', 'ProductName', 'SoftwareVersion', 'BuildNumber', 'BuildDate'] as const;
  const values = await session.read([
    { nodeId: `i=${ID.ServerStatus_State}`, attributeId: ATTRIBUTE.Value },
    { nodeId: `i=${ID.ServerStatus_CurrentTime}`, attributeId: ATTRIBUTE.Value },
    ...fields.map((f) => ({ nodeId: `i=${ID[`BuildInfo_${f}`]}`, attributeId: ATTRIBUTE.Value })),
  ]);
  const [state, currentTime, ...build] = values;
  return {
    state: state!,
    currentTime: currentTime!,
    buildInfo: Object.fromEntries(fields.map((f, i) => [f, build[i]!])) as ServerIdentityReading['buildInfo'],
  };
}

export async function readNamespaceArray(session: OpcUaSession): Promise<ValueSummary> {
  const [value] = await session.read([{ nodeId: `i=${ID.NamespaceArray}`, attributeId: ATTRIBUTE.Value }]);
  return value!;
}

export interface PropertyReading {
  readonly nodeId: string;
  readonly namespaceIndex: number;
  /** the DataType attribute: a ns=0 type's name, else its node id */
  readonly dataType: string;
  readonly value: ValueSummary;
}

export interface DeviceReading {
  readonly nodeId: string;
  readonly browseName: string;
  /** its type definition and every supertype up to BaseObjectType, as node ids */
  readonly typeChain: readonly string[];
  /** the type is DI DeviceType or a subtype of it */
  readonly isDevice: boolean;
  /** properties by browse name */
  readonly properties: Readonly<Record<string, PropertyReading>>;
}

export interface DeviceSetReading {
  readonly namespaces: readonly string[];
  /** null: the DI namespace is not in the NamespaceArray */
  readonly diNamespaceIndex: number | null;
  /** null: Objects has no DI DeviceSet */
  readonly deviceSetNodeId: string | null;
  /** every object DeviceSet organizes, devices or not */
  readonly objects: readonly DeviceReading[];
}

const MAX_TYPE_DEPTH = 20;
const MAX_OBJECTS = 50;

export async function readDeviceSet(session: OpcUaSession): Promise<DeviceSetReading> {
  const array = await readNamespaceArray(session);
  const namespaces = Array.isArray(array.value) ? array.value.filter((v): v is string => typeof v === 'string') : [];
  const index = namespaces.indexOf(DI_NAMESPACE_URI);
  if (index < 0) return { namespaces, diNamespaceIndex: null, deviceSetNodeId: null, objects: [] };
  const top = await session.browse(`i=${ID.ObjectsFolder}`, { referenceTypeId: ID.HierarchicalReferences, direction: 'forward' });
  const deviceSet = top.find((r) => r.browseName.namespaceIndex === index && r.browseName.name === 'DeviceSet');
  if (!deviceSet) return { namespaces, diNamespaceIndex: index, deviceSetNodeId: null, objects: [] };
  const children = (await session.browse(deviceSet.nodeId, { referenceTypeId: ID.HierarchicalReferences, direction: 'forward' })).filter((r) => r.nodeClass === 'Object');
  const deviceType = `ns=${index};i=${DI_DEVICE_TYPE_ID}`;
  const chains = new Map<string, string[]>();
  const objects: DeviceReading[] = [];
  for (const child of children.slice(0, MAX_OBJECTS)) {
    const typeChain = await typeChainOf(session, child.typeDefinition, chains);
    objects.push({
      nodeId: child.nodeId,
      browseName: child.browseName.name,
      typeChain,
      isDevice: typeChain.includes(deviceType),
      properties: await readProperties(session, child.nodeId),
    });
  }
  return { namespaces, diNamespaceIndex: index, deviceSetNodeId: deviceSet.nodeId, objects };
}

async function typeChainOf(session: OpcUaSession, typeDefinition: string, cache: Map<string, string[]>): Promise<string[]> {
  const cached = cache.get(typeDefinition);
  if (cached) return cached;
  const chain = [typeDefinition];
  let current = typeDefinition;
  // a server whose type hierarchy loops or runs deep must not keep the check browsing forever
  while (chain.length < MAX_TYPE_DEPTH && current !== `ns=0;i=${ID.BaseObjectType}` && current !== `i=${ID.BaseObjectType}`) {
    const parents = await session.browse(current, { referenceTypeId: ID.HasSubtype, direction: 'inverse' });
    const parent = parents[0]?.nodeId;
    if (!parent || chain.includes(parent)) break;
    chain.push(parent);
    current = parent;
  }
  cache.set(typeDefinition, chain);
  return chain;
}

async function readProperties(session: OpcUaSession, nodeId: string): Promise<Record<string, PropertyReading>> {
  const references = (await session.browse(nodeId, { referenceTypeId: ID.HasProperty, direction: 'forward' })).filter((r) => r.nodeClass === 'Variable');
  if (references.length === 0) return {};
  const reads = await session.read(references.flatMap((r) => [
    { nodeId: r.nodeId, attributeId: ATTRIBUTE.Value },
    { nodeId: r.nodeId, attributeId: ATTRIBUTE.DataType },
  ]));
  const properties: Record<string, PropertyReading> = {};
  references.forEach((r, i) => {
    const dataType = reads[2 * i + 1]!;
    const typeId = typeof dataType.value === 'string' ? normaliseNodeId(dataType.value) : String(dataType.value);
    properties[r.browseName.name] = { nodeId: r.nodeId, namespaceIndex: r.browseName.namespaceIndex, dataType: DATA_TYPE_NAMES[typeId] ?? typeId, value: reads[2 * i]! };
  });
  return properties;
}

/** node-opcua writes ns=0 ids without the namespace ("i=12"); the table uses the long form. */
function normaliseNodeId(id: string): string {
  return id.startsWith('ns=') ? id : `ns=0;${id}`;
}

/** The text of a LocalizedText summary, or a String's value; undefined for anything else. */
export function textOf(value: ValueSummary | undefined): string | undefined {
  if (!value) return undefined;
  if (typeof value.value === 'string') return value.value;
  const text = (value.value as { text?: unknown } | null)?.text;
  return typeof text === 'string' ? text : undefined;
}
