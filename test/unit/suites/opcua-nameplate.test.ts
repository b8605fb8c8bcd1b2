import { describe, expect, it } from 'vitest';
import { authorityOf } from '../../../suites/opcua/lib/nameplate.js';

describe('authorityOf: where a ManufacturerUri or ProductInstanceUri lives', () => {
  it('the lowercase host of a URI with a scheme, without user, port or path', () => {
    expect(authorityOf('https://Acme.Example.com/products/')).toBe('acme.example.com');
    expect(authorityOf('http://user@acme.com:8080/x')).toBe('acme.com');
  });

  it('the first segment of the OI4 forms without a scheme', () => {
    expect(authorityOf('acme.com')).toBe('acme.com');
    expect(authorityOf('Acme.com/Model,20X/P-1/SN1')).toBe('acme.com');
  });

  it('nothing for an empty value', () => {
    expect(authorityOf('  ')).toBeUndefined();
  });
});
