import { describe, expect, it } from 'vitest';
import { addressParts } from './address-parts.ts';

describe('addressParts', () => {
  it.each([
    ['administrators-c9e6e47d@e2e.example.com', [['administrators-c9e6e47d'], ['@e2e', '.example', '.com']]],
    ['"a@b"@example.com', [['"a@b"'], ['@example', '.com']]],
    ['https://hooks.example.com/services/T0/B0', [['https://hooks', '.example', '.com', '/services', '/T0', '/B0']]],
    ['web-01', [['web-01']]],
    ['@handle', [['@handle']]],
    ['', [['']]],
  ])('splits %j where a reader expects a break', (text, parts) => {
    expect(addressParts(text)).toEqual(parts);
    expect(addressParts(text).flat().join('')).toBe(text);
  });
});
