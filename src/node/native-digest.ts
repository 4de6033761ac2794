import { hash } from 'node:crypto';
import { useSha256 } from '../topics/validators.ts';

/**
 * Validators hash with node:crypto (native, same digests as the pure-JS
 * default the Worker keeps). The one-shot `hash` of a string: 2-3x faster
 * than a Hash object over encoded bytes for these short inputs (60k digests
 * per export at 50k documents).
 */
export function installNativeDigest(): void {
  useSha256((text) => hash('sha256', text, 'buffer'));
}
