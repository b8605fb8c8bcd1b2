/**
 * The rules of one Event publication (facts 2.7, 5.6), free of vitest: its topic form, its payload against
 * the topic's category, and whether its Level agrees with its Number.
 */
import { EVENT_FILTER_LEVELS, filterOf, payloadOf, validateWith, type DataSetMessage, type EventFilterCategory, type ParsedTopic } from '../../../harness/protocols/oi4/index.js';

const CATEGORY_CONSTANTS: Readonly<Record<EventFilterCategory, string>> = {
  Syslog: 'CAT_SYSLOG_0',
  Status: 'CAT_STATUS_1',
  Ne107: 'CAT_NE107_2',
  Generic: 'CAT_GENERIC_99',
};

/** The Details keys each category may carry; Generic Details are free. */
const DETAILS_KEYS: Readonly<Record<EventFilterCategory, readonly string[] | undefined>> = {
  Syslog: ['MSG', 'HEADER'],
  Status: ['SymbolicId'],
  Ne107: ['DiagnosticCode', 'Location'],
  Generic: undefined,
};

function isCategory(name: string): name is EventFilterCategory {
  return name in EVENT_FILTER_LEVELS;
}

export interface EventVerdict {
  /** OI4-EVT-001: topic form and Filter */
  readonly form: string[];
  /** OI4-EVT-002: payload */
  readonly payload: string[];
  /** OI4-EVT-003: Level against Number */
  readonly level: string[];
}

/** The category and level of an Event topic, when it has the 14-level <Source>/<Category>/<Level> form. */
export function eventTopicParts(topic: ParsedTopic): { category: EventFilterCategory; level: string } | undefined {
  if (topic.levels !== 14) return undefined;
  const [category, level] = topic.segments.slice(12);
  if (category === undefined || level === undefined || !isCategory(category)) return undefined;
  return (EVENT_FILTER_LEVELS[category] as readonly string[]).includes(level) ? { category, level } : undefined;
}

/** What the Level of an event with this Number must be, where the category defines it. */
export function levelOfNumber(category: EventFilterCategory, number: number): string | undefined {
  switch (category) {
    case 'Syslog':
      return EVENT_FILTER_LEVELS.Syslog[number & 0x07];
    case 'Status':
      // the two top bits of an OPC UA StatusCode: 0 Good, 1 Uncertain, 2 Bad
      return EVENT_FILTER_LEVELS.Status[Math.floor(number / 0x40000000)];
    case 'Ne107':
      return EVENT_FILTER_LEVELS.Ne107[number];
    case 'Generic':
      return undefined;
  }
}

export function judgeEvent(topicText: string, topic: ParsedTopic, dsm: DataSetMessage): EventVerdict {
  const verdict: EventVerdict = { form: [], payload: [], level: [] };
  const parts = eventTopicParts(topic);
  if (!parts) {
    verdict.form.push(
      `Event topic ${topicText} is not Pub/Event/<Source>/<Category>/<Level> (14 levels, Category ${Object.keys(EVENT_FILTER_LEVELS).join(', ')} with one of its levels)`,
    );
    return verdict;
  }
  const expectedFilter = `${parts.category}/${parts.level}`;
  const filter = filterOf(dsm);
  if (filter !== expectedFilter) verdict.form.push(`the Event on ${topicText} has Filter ${JSON.stringify(filter ?? null)}; expected "${expectedFilter}"`);

  const payload = payloadOf(dsm);
  const schema = validateWith('Event', payload);
  if (!schema.valid) for (const error of schema.errors) verdict.payload.push(`Event on ${topicText}: Payload${error.path} ${error.message}`);
  const { Category: category, Number: number, Details: details } = (payload ?? {}) as { Category?: unknown; Number?: unknown; Details?: unknown };
  const expectedCategory = CATEGORY_CONSTANTS[parts.category];
  if (category !== expectedCategory) verdict.payload.push(`the Event on ${topicText} has Category ${JSON.stringify(category ?? null)}; the topic's ${parts.category} needs ${expectedCategory}`);
  const allowed = DETAILS_KEYS[parts.category];
  if (allowed && details !== null && typeof details === 'object') {
    const extra = Object.keys(details).filter((key) => !allowed.includes(key));
    if (extra.length) verdict.payload.push(`the ${parts.category} Event on ${topicText} has Details ${extra.join(', ')}; only ${allowed.join(', ')} belong to that category`);
  }
  if (typeof number === 'number' && Number.isInteger(number) && number >= 0) {
    const expectedLevel = levelOfNumber(parts.category, number);
    if (expectedLevel !== undefined && expectedLevel !== parts.level) {
      verdict.level.push(`the ${parts.category} Event on ${topicText} has Number ${number}, which is level ${expectedLevel}, but is published under ${parts.level}`);
    }
  }
  return verdict;
}
