import { createHash } from 'node:crypto';
import { useSha256 } from '../topics/validators.ts';

/** Validators hash with node:crypto (native, same digests as the pure-JS default the Worker keeps). */
export function installNativeDigest(): void {
  useSha256((bytes) => createHash('sha256').update(bytes).digest());
}
