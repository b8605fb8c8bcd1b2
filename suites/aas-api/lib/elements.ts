/**
 * The tree of submodel elements as the normal (deep) form answers it: finding an element by its idShortPath
 * (`Electrical.Limits.MaxCurrent`, `Temperatures[1]`) and listing the paths of all of them, which the modifier
 * checks compare the other forms against.
 */
import { isObject } from './http.js';

type Element = Record<string, unknown>;

/** The children of a Submodel (submodelElements) or of a collection, list or entity (value / statements). */
export function childrenOf(node: unknown): Element[] {
  if (!isObject(node)) return [];
  const kind = node['modelType'];
  const raw = kind === 'Submodel' ? node['submodelElements'] : kind === 'Entity' ? node['statements'] : kind === 'SubmodelElementCollection' || kind === 'SubmodelElementList' ? node['value'] : undefined;
  return Array.isArray(raw) ? raw.filter(isObject) : [];
}

/** Every element's idShortPath with the element, depth first, in document order. */
export function pathsOf(node: unknown, prefix = ''): { path: string; element: Element }[] {
  const out: { path: string; element: Element }[] = [];
  const isList = isObject(node) && node['modelType'] === 'SubmodelElementList';
  childrenOf(node).forEach((child, index) => {
    const path = isList ? `${prefix}[${index}]` : prefix ? `${prefix}.${String(child['idShort'])}` : String(child['idShort']);
    out.push({ path, element: child }, ...pathsOf(child, path));
  });
  return out;
}

export function elementAt(node: unknown, path: string): Element | undefined {
  return pathsOf(node).find((p) => p.path === path)?.element;
}

const NUMERIC = /^xs:(decimal|integer|int|long|short|byte|double|float|unsigned\w*|positiveInteger|negativeInteger|nonNegativeInteger|nonPositiveInteger)$/;

/** Whether a ValueOnly value stands for a normal value of this type: numbers as numbers or as their text. */
function sameValue(valueType: unknown, normal: unknown, valueOnly: unknown): boolean {
  if (typeof valueType === 'string' && NUMERIC.test(valueType)) return (typeof valueOnly === 'number' || typeof valueOnly === 'string') && Number(valueOnly) === Number(normal);
  if (valueType === 'xs:boolean') return String(valueOnly) === String(normal);
  return valueOnly === normal;
}

/**
 * What differs between the normal form of an element and its ValueOnly form (AAS Part 2): a Property is its
 * value, a MultiLanguageProperty an array of {language: text}, a Range {min, max}, a Blob or File {contentType,
 * value?}, a collection an object of its children by idShort, a list an array of its items' values.
 */
export function valueOnlyProblems(element: Element, value: unknown, where: string): string[] {
  const kind = element['modelType'];
  switch (kind) {
    case 'Property':
      return element['value'] === undefined || sameValue(element['valueType'], element['value'], value) ? [] : [`${where} is ${JSON.stringify(value)}; the normal form has value ${JSON.stringify(element['value'])} (${String(element['valueType'])})`];
    case 'MultiLanguageProperty': {
      const texts = Array.isArray(element['value']) ? element['value'].filter(isObject) : [];
      if (!Array.isArray(value)) return [`${where} is ${JSON.stringify(value)}; expected an array of {language: text}`];
      const missing = texts.filter((t) => !value.some((v) => isObject(v) && v[String(t['language'])] === t['text']));
      return missing.length ? [`${where} lacks ${missing.map((t) => `{"${String(t['language'])}": ${JSON.stringify(t['text'])}}`).join(', ')}`] : [];
    }
    case 'Range':
      if (!isObject(value)) return [`${where} is ${JSON.stringify(value)}; expected {min, max}`];
      return (['min', 'max'] as const).filter((k) => element[k] !== undefined && !sameValue(element['valueType'], element[k], value[k])).map((k) => `${where}.${k} is ${JSON.stringify(value[k])}; the normal form has ${JSON.stringify(element[k])}`);
    case 'Blob':
    case 'File':
      return isObject(value) && value['contentType'] === element['contentType'] ? [] : [`${where} is ${JSON.stringify(value)?.slice(0, 120)}; expected {"contentType": ${JSON.stringify(element['contentType'])}, …}`];
    case 'SubmodelElementCollection': {
      if (!isObject(value) || 'modelType' in value) return [`${where} is ${JSON.stringify(value)?.slice(0, 120)}; expected an object of its children by idShort`];
      return childrenOf(element).flatMap((child) => {
        const key = String(child['idShort']);
        return key in value ? valueOnlyProblems(child, value[key], `${where}.${key}`) : [`${where} lacks ${key}`];
      });
    }
    case 'SubmodelElementList': {
      const items = childrenOf(element);
      if (!Array.isArray(value) || value.length !== items.length) return [`${where} is ${JSON.stringify(value)?.slice(0, 120)}; expected an array of ${items.length} values`];
      return items.flatMap((item, i) => valueOnlyProblems(item, value[i], `${where}[${i}]`));
    }
    default:
      // references, entities, relationships, operations: present is all this check asks
      return value === undefined ? [`${where} is missing`] : [];
  }
}
