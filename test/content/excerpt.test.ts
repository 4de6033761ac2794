import { describe, expect, it } from 'vitest';
import { excerpt } from '../../src/content/excerpt.ts';
import { sanitizedHtmlHeadText, sanitizedHtmlToText } from '../../src/content/text.ts';

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

  it('gives the same summary from a body read in part as from the whole text, wherever the part ends', () => {
    const html =
      '<p>There is light at the <b>end</b> of the tunnel with several vaccines now being rolled-out <b>glo</b>bally, says a doctor.</p>' +
      '<p>Clinics now screen patients by video before travel.</p><p>A later paragraph repeats: several vaccines now being rolled-out glo&amp;bal</p>';
    const whole = sanitizedHtmlToText(html);
    const descriptions = [
      'There is light at the end of the tunnel with several vaccines now being rolled-out glo',
      'There is light at the end of the tunnel with several vaccines now being rolled-out globally, says a doc',
      'Clinics now screen patients by video',
      'Clinics now screen patients by vid',
      'several vaccines now being rolled-out glo',
      'A later paragraph repeats: several vaccines now being rolled-out glo',
      'Words that are nowhere in the body at al',
    ];
    let read = 0;
    for (const description of descriptions) {
      const expected = excerpt(description, whole);
      for (let cut = 0; cut <= html.length; cut++) {
        const reader = (chars: number) => {
          read += 1;
          return sanitizedHtmlHeadText(html, chars === Infinity ? Infinity : cut);
        };
        expect(excerpt(description, reader), `${description} with the body cut at ${cut}`).toBe(expected);
      }
    }
    expect(read).toBeGreaterThan(0);
  });

  it('does not read the body when the description ends on purpose', () => {
    let read = 0;
    const reader = () => {
      read += 1;
      return { text: 'Telehealth grows.', whole: true };
    };
    expect(excerpt('It ended.', reader)).toBe('It ended.');
    expect(excerpt('Telehea', reader)).toBe('Telehea…');
    expect(read).toBe(0);
  });
});
