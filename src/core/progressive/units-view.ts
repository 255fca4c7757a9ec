// What a progressive read reads at R2 and R3: the units as stored, so digests and a working context
// written by a model distiller (when one ran) are the ones the passes see.
import type { DistilledSession } from '../distill/units';
import { EXTRACTIVE } from '../distill/units';
import { all, num, str } from '../store/rows';
import type { Store } from '../store/store';
import type { UnitTexts } from './slices';

export function storedUnits(store: Store, d: DistilledSession): UnitTexts {
  const key = store.key(d.session.id);
  const digests = new Map<number, string>();
  for (const r of all(store.db, 'SELECT turn_from, text FROM units WHERE session = ? AND level = 2', [key])) digests.set(num(r.turn_from), str(r.text));
  const r3 = all(store.db, 'SELECT text, distiller FROM units WHERE session = ? AND level = 3', [key])[0];
  return r3 && str(r3.distiller) !== EXTRACTIVE ? { digests, context: str(r3.text) } : { digests };
}
