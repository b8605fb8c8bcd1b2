/**
 * Enumerations and tables of the OI4 OEC Development Guideline v1.1 (MQTT part), as data.
 * Everything here is the v1.1 dialect (PascalCase); the v1.0 lowercase names are deliberately absent so that
 * a v1.0 target shows up as "unknown" rather than being silently accepted.
 * Source of every value: the OI4 OEC guideline facts (shared/reference/oi4-oec-guideline-facts.md), sections noted per constant.
 */

/** Facts 2.1: first level of every topic. v1.0 used "oi4". */
export const TOPIC_ROOT = 'Oi4';

/** Facts 3.1 / 3.3 */
export const MESSAGE_TYPE_DATA = 'ua-data';
export const MESSAGE_TYPE_METADATA = 'ua-metadata';

/** Facts 2.3 */
export const SERVICE_TYPES = [
  'Registry',
  'OTConnector',
  'Utility',
  'Persistence',
  'Aggregation',
  'OOCConnector',
  'ITConnector',
] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

/** Facts 2.4 */
export const METHODS = ['Pub', 'Get', 'Set', 'Del', 'Call', 'Reply'] as const;
export type Method = (typeof METHODS)[number];

/** Facts 2.5, in the order of the v1.1 enumeration. */
export const RESOURCES = [
  'MAM',
  'Health',
  'Config',
  'License',
  'LicenseText',
  'RtLicense',
  'Data',
  'Metadata',
  'Event',
  'Profile',
  'PublicationList',
  'SubscriptionList',
  'ReferenceDesignation',
  'Interfaces',
  'AAS',
  'FileUpload',
  'FileDownload',
  'FirmwareUpdate',
  'Blink',
  'NewDataSetWriterId',
] as const;
export type Resource = (typeof RESOURCES)[number];

/**
 * Facts 3.5. Data and Metadata have no GUID in any source. AAS is left out on purpose: the only value in the
 * sources is a placeholder that is not a GUID, so no target can be held to it. The five "GO only" services are
 * kept because the Go service is the only implementation of those resources at all.
 */
export const DATA_SET_CLASS_IDS: Readonly<Partial<Record<Resource, string>>> = {
  MAM: '360ca8f3-5e66-42a2-8f10-9cdf45f4bf58',
  Health: 'd8e7b6df-42ba-448a-975a-199f59e8ffeb',
  License: '2ae0505e-2830-4980-b65e-0bbdf08e2d45',
  LicenseText: 'a6e6c727-4057-419f-b2ea-3fe9173e71cf',
  RtLicense: 'ebd12d4b-da1c-4671-ab86-db102fecc603',
  Event: '543ae05e-b6d9-4161-a0a3-350a0fac5976',
  Profile: '48017c6a-05c8-48d7-9d85-4b08bbb707f3',
  Config: '9d5983db-440d-4474-9fd7-1cd7a6c8b6c2',
  PublicationList: '217434d6-6e1e-4230-b907-f52bc9ffe152',
  SubscriptionList: 'e5d68c47-c276-4929-8ab9-4c1090cac785',
  ReferenceDesignation: '27a75019-164a-496d-a38b-90e8a55c2cfa',
  Interfaces: '96d22d73-bce6-42d3-9949-45e0d04e4d54',
  FileUpload: '3b4a62ba-026f-4ee8-bc99-3a5f85fc9f3b',
  FileDownload: '760abda2-ba40-4e6e-863a-eea8c002b4e4',
  FirmwareUpdate: '414e26f6-341b-43b7-90fc-bb9e0b1b0866',
  Blink: '3b423a40-a676-4ba0-8017-f0b2cd65bc26',
  NewDataSetWriterId: '2aca55bd-0d6f-41b1-a1c2-2d61afcc21f0',
};

/** The GUID a NetworkMessage of this resource carries, or undefined when the resource has none (Data, Metadata, AAS). */
export function expectedDataSetClassId(resource: Resource): string | undefined {
  return DATA_SET_CLASS_IDS[resource];
}

/** Facts 5.2 (NAMUR NE107 / OPC UA Part 100 DeviceHealthEnumeration). */
export const HEALTH_STATES = ['NORMAL_0', 'FAILURE_1', 'CHECK_FUNCTION_2', 'OFF_SPEC_3', 'MAINTENANCE_REQUIRED_4'] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

/** Facts 3.2: reserved DataSetWriterIds. Everything below FIRST_APPLICATION_DATA_SET_WRITER_ID is reserved. */
export const RESERVED_DATA_SET_WRITER_IDS = {
  PaginationRequest: 1,
  Pagination: 2,
  Locale: 3,
} as const;
export const FIRST_APPLICATION_DATA_SET_WRITER_ID = 10;
export const MAX_DATA_SET_WRITER_ID = 0xffff;

export function isReservedDataSetWriterId(id: number): boolean {
  return Number.isInteger(id) && id >= 0 && id < FIRST_APPLICATION_DATA_SET_WRITER_ID;
}

/** Facts 7.3: the registry classifies by MAM HardwareRevision (empty = application). */
export const ASSET_TYPES = ['application', 'device'] as const;
export type AssetType = (typeof ASSET_TYPES)[number];

/**
 * Facts 7.3, the list the official conformity validator uses (SVC-dev Profiles.ts). The Go service also
 * demands PublicationList from devices; we follow the validator, as the requirement catalog does (OI4-PRO-002).
 */
export const MANDATORY_RESOURCES: Readonly<Record<AssetType, readonly Resource[]>> = {
  application: ['MAM', 'Health', 'License', 'LicenseText', 'PublicationList', 'Profile'],
  device: ['MAM', 'Health', 'Profile', 'ReferenceDesignation'],
};

/** Facts 5.7 */
export const PUBLICATION_MODES = [
  'OFF_0',
  'ON_REQUEST_1',
  'APPLICATION_2',
  'SOURCE_3',
  'FILTER_4',
  'APPLICATION_SOURCE_5',
  'APPLICATION_FILTER_6',
  'SOURCE_FILTER_7',
  'APPLICATION_SOURCE_FILTER_8',
] as const;
export type PublicationMode = (typeof PUBLICATION_MODES)[number];

export const PUBLICATION_CONFIGS = ['NONE_0', 'MODE_1', 'INTERVAL_2', 'MODE_AND_INTERVAL_3'] as const;
export type PublicationConfig = (typeof PUBLICATION_CONFIGS)[number];

/** Facts 5.8 */
export const SUBSCRIPTION_CONFIGS = ['NONE_0', 'CONF_1'] as const;
export type SubscriptionConfig = (typeof SUBSCRIPTION_CONFIGS)[number];

/** Facts 5.6: Category values inside the Event payload. */
export const EVENT_CATEGORIES = ['CAT_SYSLOG_0', 'CAT_STATUS_1', 'CAT_NE107_2', 'CAT_GENERIC_99'] as const;
export type EventCategory = (typeof EVENT_CATEGORIES)[number];

/** Facts 2.7: the `<Category>/<Level>` filter of Event topics and DataSetMessages. */
export const EVENT_FILTER_LEVELS = {
  Syslog: ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'],
  Status: ['Good', 'Uncertain', 'Bad'],
  Ne107: ['Normal', 'Failure', 'CheckFunction', 'OutOfSpecification', 'MaintenanceRequired'],
  Generic: ['High', 'Medium', 'Low'],
} as const;
export type EventFilterCategory = keyof typeof EVENT_FILTER_LEVELS;

/** Facts 5.5: the parameter types of a Config publication. */
export const CONFIG_PARAM_TYPES = ['Boolean', 'ByteString', 'DateTime', 'Number', 'String'] as const;
export type ConfigParamType = (typeof CONFIG_PARAM_TYPES)[number];

/** Facts 3.2: top bits of an OPC UA StatusCode; Good is omitted from a DataSetMessage. */
export const STATUS_CODE_SEVERITY = { Good: 0x00000000, Uncertain: 0x40000000, Bad: 0x80000000 } as const;

// ---------------------------------------------------------------------------------------------------------
// Topic level counts (facts 2.2). Kept as data so a failure message can say which counts would have been
// allowed, and so the table can be reviewed against the source in one place.

export const TOPIC_LEVEL_COUNTS = [8, 10, 12, 13, 14] as const;
export type TopicLevelCount = (typeof TOPIC_LEVEL_COUNTS)[number];

export interface TopicLevelRule {
  readonly levels: TopicLevelCount;
  readonly methods: readonly Method[];
  readonly resources: readonly Resource[];
  /** what the levels after the resource mean, for messages */
  readonly meaning: string;
}

const GET_WITHOUT_SOURCE: readonly Resource[] = [
  'MAM',
  'Health',
  'RtLicense',
  'Profile',
  'ReferenceDesignation',
  'Interfaces',
  'Config',
  'Data',
  'License',
  'LicenseText',
  'PublicationList',
  'SubscriptionList',
  'AAS',
];
const PUB_WITHOUT_SOURCE: readonly Resource[] = GET_WITHOUT_SOURCE.filter((r) => r !== 'Interfaces' && r !== 'AAS');

export const TOPIC_LEVEL_RULES: readonly TopicLevelRule[] = [
  { levels: 8, methods: ['Get'], resources: GET_WITHOUT_SOURCE, meaning: 'no Source (all sources)' },
  { levels: 8, methods: ['Pub'], resources: PUB_WITHOUT_SOURCE, meaning: 'no Source (all sources)' },
  { levels: 10, methods: ['Pub'], resources: ['Event'], meaning: 'legacy <Category>/<Level> without Source' },
  { levels: 12, methods: ['Get', 'Pub'], resources: GET_WITHOUT_SOURCE, meaning: 'Source' },
  { levels: 12, methods: ['Set', 'Del'], resources: ['ReferenceDesignation', 'AAS'], meaning: 'Source' },
  {
    levels: 13,
    methods: ['Get', 'Pub'],
    resources: ['Config', 'Data', 'Metadata', 'License', 'LicenseText', 'PublicationList', 'SubscriptionList'],
    meaning: 'Source and one Filter level',
  },
  {
    levels: 13,
    methods: ['Set'],
    resources: ['Config', 'Data', 'Metadata', 'PublicationList', 'SubscriptionList'],
    meaning: 'Source and one Filter level',
  },
  { levels: 13, methods: ['Del'], resources: ['PublicationList', 'SubscriptionList'], meaning: 'Source and one Filter level' },
  {
    levels: 14,
    methods: METHODS,
    resources: ['PublicationList', 'SubscriptionList', 'Event'],
    meaning: 'Source and two Filter levels',
  },
];

/** The level counts the table allows for this method and resource, ascending; empty when no form exists. */
export function allowedLevelCounts(method: Method, resource: Resource): TopicLevelCount[] {
  const counts = new Set<TopicLevelCount>();
  for (const rule of TOPIC_LEVEL_RULES) {
    if (rule.methods.includes(method) && rule.resources.includes(resource)) counts.add(rule.levels);
  }
  return [...counts].sort((a, b) => a - b);
}

export function isLevelCountAllowed(levels: number, method: Method, resource: Resource): boolean {
  return (allowedLevelCounts(method, resource) as number[]).includes(levels);
}

// ---------------------------------------------------------------------------------------------------------
// Type guards: a target sends strings, and these narrow them without casts at every call site.

function member<T extends string>(list: readonly T[]): (value: unknown) => value is T {
  return (value: unknown): value is T => typeof value === 'string' && (list as readonly string[]).includes(value);
}

export const isServiceType = member(SERVICE_TYPES);
export const isMethod = member(METHODS);
export const isResource = member(RESOURCES);
export const isHealthState = member(HEALTH_STATES);
export const isPublicationMode = member(PUBLICATION_MODES);
export const isPublicationConfig = member(PUBLICATION_CONFIGS);
