import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/content/summary.ts';

describe('summarize', () => {
  it('drops a partial last word that the body continues, and adds an ellipsis', () => {
    const description = 'There is light at the end of the tunnel with several vaccines now being rolled-out glo';
    const body = 'There is light at the end of the tunnel with several vaccines now being rolled-out globally, says a doctor.';
    expect(summarize(description, body)).toBe(
      'There is light at the end of the tunnel with several vaccines now being rolled-out…',
    );
  });

  it('keeps a last word that the body shows is complete', () => {
    expect(summarize('Clinics now screen patients by video', 'Clinics now screen patients by video before travel.')).toBe(
      'Clinics now screen patients by video…',
    );
  });

  it('drops the last word when the body cannot tell', () => {
    expect(summarize('A description that was cut somewh', 'Unrelated body text.')).toBe('A description that was cut…');
  });

  it('leaves a description that ends in terminal punctuation alone', () => {
    for (const text of ['It ended.', 'Really?', 'Yes!', 'So it goes…', 'He said "stop"', '(see above)', 'A list [1]']) {
      expect(summarize(text, '')).toBe(text);
    }
  });

  it('ends after a trailing comma or dash without keeping it', () => {
    expect(summarize('Lockdowns were imposed,', '')).toBe('Lockdowns were imposed…');
    expect(summarize('vaccines now being rolled-', '')).toBe('vaccines now being rolled…');
  });

  it('never empties a one-word description', () => {
    expect(summarize('Telehea', 'Telehealth grows.')).toBe('Telehea…');
  });

  it('gives undefined for an empty description', () => {
    expect(summarize('', 'body')).toBeUndefined();
  });
});
