import { StrataError } from '../../core/engine/errors';
import type { Services } from '../../app/services';
import type { DomainHandlers } from '../dispatch';

export function engineHandlers(s: Services): DomainHandlers<'engine'> {
  return {
    status: () => s.engine.status,
    candidates: async () => {
      const { engineAddress, addedEngines } = await s.settings.get();
      const found = await s.engine.candidatesWithAdded(addedEngines);
      return found.map((c) => ({ ...c, chosen: c.address === engineAddress }));
    },
    choose: async ({ address }) => {
      const candidate = s.engine.parse(address);
      if (candidate.error) throw new StrataError('invalid-input', candidate.error);
      const { addedEngines } = await s.settings.get();
      const known = (await s.engine.candidatesWithAdded([])).some((c) => c.address === candidate.address);
      await s.settings.update({
        engineAddress: candidate.address,
        addedEngines:
          known || addedEngines.includes(candidate.address) ? addedEngines : [...addedEngines, candidate.address],
      });
      return s.engine.connect();
    },
    useAutomatic: async () => {
      await s.settings.update({ engineAddress: undefined });
      return s.engine.connect();
    },
    retryNow: async () => {
      await s.engine.connect();
      return { ok: true as const };
    },
  };
}
