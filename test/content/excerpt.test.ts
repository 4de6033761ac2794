import { describe, expect, it } from 'vitest';
import { excerpt } from '../../src/content/excerpt.ts';

describe('excerpt', () => {
  it('drops a partial last word that the body continues, and adds an ellipsis', () => {
    const description = 'There is light at the end of the tunnel with several vaccines now being rolled-out glo';
    const body = 'There is light at the end of the tunnel with several vaccines now being rolled-out globally, says a doctor.';
    expect(excerpt(description, body)).toBe(
      'There is light at the end of the tunnel with several vaccines now being rolled-out…',
    );
  });

  it('keeps a last word that the body shows is complete', () => {
    expect(excerpt('Clinics now screen patients by video', 'Clinics now screen patients by video before travel.')).toBe(
      'Clinics now screen patients by video…',
    );
  });

  it('drops the last word when the body cannot tell', () => {
    expect(excerpt('A description that was cut somewh', 'Unrelated body text.')).toBe('A description that was cut…');
  });

  it('leaves a description that ends in terminal punctuation alone', () => {
    for (const text of ['It ended.', 'Really?', 'Yes!', 'So it goes…', 'He said "stop"', '(see above)', 'A list [1]']) {
      expect(excerpt(text, '')).toBe(text);
    }
  });

  it('ends after a trailing comma or dash without keeping it', () => {
    expect(excerpt('Lockdowns were imposed,', '')).toBe('Lockdowns were imposed…');
    expect(excerpt('vaccines now being rolled-', '')).toBe('vaccines now being rolled…');
  });

  it('never empties a one-word description', () => {
    expect(excerpt('Telehea', 'Telehealth grows.')).toBe('Telehea…');
  });

  it('gives undefined for an empty description', () => {
    expect(excerpt('', 'body')).toBeUndefined();
  });
});
