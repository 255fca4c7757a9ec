// The bundled sample session (test/fixtures/sample) ingested into a fresh database, for the tests
// that want a real session rather than a built one.
import { join } from 'node:path';
import { ingestPaths } from '../../src/core/ingest';
import { openStore, type Store } from '../../src/core/store/store';
import { tempDir } from './helpers';

const SAMPLE = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'sample');

/** A store holding the sample, and the id of its longest session. */
export async function sampleStore(): Promise<{ store: Store; id: string }> {
  const store = await openStore(join(tempDir(), 'loupe.db'));
  await ingestPaths(store, [SAMPLE], { workerScript: null });
  const id = store.listSessions().sort((a, b) => b.turns - a.turns)[0]!.id;
  return { store, id };
}
