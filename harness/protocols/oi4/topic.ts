/**
 * OI4 MQTT topics (facts 2): `Oi4/<ServiceType>/<AppId>/<Method>/<Resource>[/<Source>[/<Filter>]]`.
 * Parsing is split in two on purpose: parseTopic only finds the structure (which levels are the AppId, the
 * Source, the Filter), so a check can still say "Source was X" on a topic that breaks the grammar;
 * topicProblems then judges the grammar against the v1.1 enumerations and the level-count table.
 * Only concrete topics are handled; subscription filters with wildcards are not topics a target publishes.
 */
import {
  METHODS,
  RESOURCES,
  SERVICE_TYPES,
  TOPIC_LEVEL_COUNTS,
  TOPIC_ROOT,
  allowedLevelCounts,
  isMethod,
  isResource,
  isServiceType,
  type Method,
  type Resource,
  type ServiceType,
} from './constants.js';
import { identifierPartProblems } from './identifier.js';

export interface ParsedTopic {
  readonly root: string;
  readonly serviceType: string;
  /** levels 3-6, joined with "/" */
  readonly appId: string;
  readonly method: string;
  readonly resource: string;
  /** levels 9-12 joined with "/", when the topic has 12 or more levels */
  readonly source?: string;
  /** one level, or two joined with "/" (14 levels, and the legacy 10-level Event form) */
  readonly filter?: string;
  /** number of levels */
  readonly levels: number;
  /** every level, in order */
  readonly segments: readonly string[];
}

export type ParseTopicResult =
  | { readonly ok: true; readonly topic: ParsedTopic }
  | { readonly ok: false; readonly problems: string[] };

// 1-based level numbers, as the guideline and failure messages count them
const APP_ID_LEVELS = { from: 3, to: 6 } as const;
const METHOD_LEVEL = 7;
const RESOURCE_LEVEL = 8;
const SOURCE_LEVELS = { from: 9, to: 12 } as const;

function levelsJoined(segments: readonly string[], from: number, to: number): string {
  return segments.slice(from - 1, to).join('/');
}

function at(segments: readonly string[], level: number): string {
  return segments[level - 1] ?? '';
}

export function parseTopic(topic: string): ParseTopicResult {
  const segments = topic.split('/');
  const levels = segments.length;
  const problems: string[] = [];
  if (!(TOPIC_LEVEL_COUNTS as readonly number[]).includes(levels)) {
    problems.push(`topic has ${levels} levels; expected ${alternatives(TOPIC_LEVEL_COUNTS)}`);
  }
  segments.forEach((segment, i) => {
    if (segment === '+' || segment === '#') {
      problems.push(`level ${i + 1} is the wildcard "${segment}"; a published topic has no wildcards`);
    }
  });
  if (problems.length > 0) return { ok: false, problems };

  const base = {
    root: at(segments, 1),
    serviceType: at(segments, 2),
    appId: levelsJoined(segments, APP_ID_LEVELS.from, APP_ID_LEVELS.to),
    method: at(segments, METHOD_LEVEL),
    resource: at(segments, RESOURCE_LEVEL),
    levels,
    segments,
  };
  if (levels === 8) return { ok: true, topic: base };
  if (levels === 10) return { ok: true, topic: { ...base, filter: levelsJoined(segments, 9, 10) } };
  const source = levelsJoined(segments, SOURCE_LEVELS.from, SOURCE_LEVELS.to);
  if (levels === 12) return { ok: true, topic: { ...base, source } };
  return { ok: true, topic: { ...base, source, filter: levelsJoined(segments, 13, levels) } };
}

const PASCAL_CASE = /^[A-Z][A-Za-z0-9]*$/;

function oneOf(list: readonly string[]): string {
  return list.join(', ');
}

/** "8", "8 or 12", "8, 12 or 13" */
function alternatives(values: readonly (string | number)[]): string {
  const texts = values.map(String);
  const last = texts.pop();
  return texts.length === 0 ? (last ?? '') : `${texts.join(', ')} or ${last ?? ''}`;
}

/** Case-insensitive match, to tell a v1.0 target ("get", "mam") what the v1.1 name would be. */
function v11Spelling(value: string, list: readonly string[]): string | undefined {
  return list.find((name) => name.toLowerCase() === value.toLowerCase());
}

function nameProblems(kind: 'method' | 'resource', value: string, list: readonly string[]): string[] {
  const known = list.includes(value);
  if (known) return [];
  const hint = v11Spelling(value, list);
  if (!PASCAL_CASE.test(value)) {
    return [`${kind} "${value}" is not PascalCase${hint ? ` (v1.1 spells it "${hint}")` : ''}`];
  }
  return [`${kind} "${value}" is not one of ${oneOf(list)}`];
}

/** Grammar violations of a parsed topic; empty when the topic is a valid v1.1 topic. */
export function topicProblems(parsed: ParsedTopic): string[] {
  const problems: string[] = [];
  if (parsed.root !== TOPIC_ROOT) {
    const hint = parsed.root.toLowerCase() === TOPIC_ROOT.toLowerCase() ? ' (v1.0 casing; v1.1 uses "Oi4")' : '';
    problems.push(`root level is "${parsed.root}"; expected "${TOPIC_ROOT}"${hint}`);
  }
  if (!isServiceType(parsed.serviceType)) {
    problems.push(`service type "${parsed.serviceType}" is not one of ${oneOf(SERVICE_TYPES)}`);
  }
  problems.push(...identifierPartProblems(parsed.appId.split('/'), 'AppId'));
  problems.push(...nameProblems('method', parsed.method, METHODS));
  problems.push(...nameProblems('resource', parsed.resource, RESOURCES));
  if (parsed.source !== undefined) problems.push(...identifierPartProblems(parsed.source.split('/'), 'Source'));
  if (parsed.filter !== undefined) {
    parsed.filter.split('/').forEach((level, i) => {
      if (level === '') problems.push(`filter level ${i + 1} is empty`);
    });
  }
  if (isMethod(parsed.method) && isResource(parsed.resource)) {
    const allowed = allowedLevelCounts(parsed.method, parsed.resource);
    if (allowed.length === 0) {
      problems.push(`no topic form is defined for ${parsed.method} ${parsed.resource}`);
    } else if (!(allowed as number[]).includes(parsed.levels)) {
      problems.push(
        `a ${parsed.method} ${parsed.resource} topic has ${alternatives(allowed)} levels, not ${parsed.levels}`,
      );
    }
  }
  return problems;
}

export interface TopicParts {
  readonly serviceType: ServiceType;
  readonly appId: string;
  readonly method: Method;
  readonly resource: Resource;
  readonly source?: string;
  /** one level, or two joined with "/" */
  readonly filter?: string;
}

function levelCount(text: string): number {
  return text.split('/').length;
}

/**
 * Builds a concrete topic. Throws on misuse (these are the harness's own bugs, not a target's): an AppId or
 * Source that is not four levels, a Filter without a Source, or more than two Filter levels. The grammar
 * itself (e.g. a level count the table forbids) is not enforced, so a check can build a deliberately wrong request.
 */
export function buildTopic(parts: TopicParts): string {
  if (levelCount(parts.appId) !== 4) throw new Error(`AppId "${parts.appId}" must have 4 levels`);
  const levels = [TOPIC_ROOT, parts.serviceType, parts.appId, parts.method, parts.resource];
  if (parts.source !== undefined) {
    if (levelCount(parts.source) !== 4) throw new Error(`Source "${parts.source}" must have 4 levels`);
    levels.push(parts.source);
  }
  if (parts.filter !== undefined) {
    if (parts.source === undefined) throw new Error('a Filter needs a Source (the legacy 10-level Event form is not built)');
    const filterLevels = levelCount(parts.filter);
    if (filterLevels > 2) throw new Error(`Filter "${parts.filter}" has ${filterLevels} levels; at most 2`);
    levels.push(parts.filter);
  }
  return levels.join('/');
}

/** The topic a Get is answered on (facts 6.1): the same topic with "Get" at level 7 replaced by "Pub". */
export function mirrorTopic(getTopic: string): string {
  const segments = getTopic.split('/');
  if (segments.length < RESOURCE_LEVEL) throw new Error(`"${getTopic}" has fewer than ${RESOURCE_LEVEL} levels`);
  if (segments[METHOD_LEVEL - 1] !== 'Get') throw new Error(`level ${METHOD_LEVEL} of "${getTopic}" is not "Get"`);
  segments[METHOD_LEVEL - 1] = 'Pub';
  return segments.join('/');
}
