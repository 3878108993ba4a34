import { StrataError } from '$shared/engine/errors';
import type { Services } from '../services';
import type { DomainHandlers } from '../dispatch';

export function engineHandlers(s: Services): DomainHandlers<'engine'> {
  return {
    status: () => s.engine.status,
    candidates: async () => {
      const { engineAddress, addedEngines } = await s.settings.get();
      const found = await s.engine.candidatesWithAdded(addedEngines);
      return found.map((c) => ({ ...c, chosen: c.address === engineAddress, saved: addedEngines.includes(c.address) }));
    },
    choose: async ({ address }) => {
      const candidate = s.engine.parse(address);
      if (candidate.error) throw new StrataError('invalid-input', candidate.error);
      // Only an address that answered is remembered: the switch throws, keeping the engine in use, when it does not.
      return s.engine.switchTo(candidate.address, async () => {
        const { addedEngines } = await s.settings.get();
        const known = (await s.engine.candidatesWithAdded([])).some((c) => c.address === candidate.address);
        await s.settings.update({
          engineAddress: candidate.address,
          addedEngines:
            known || addedEngines.includes(candidate.address) ? addedEngines : [...addedEngines, candidate.address],
        });
      });
    },
    forget: async ({ address }) => {
      const { engineAddress, addedEngines } = await s.settings.get();
      const wasChosen = engineAddress === address;
      await s.settings.update({
        addedEngines: addedEngines.filter((a) => a !== address),
        ...(wasChosen ? { engineAddress: undefined } : {}),
      });
      // Forgetting the engine in use goes back to finding one automatically.
      return wasChosen ? s.engine.connect() : s.engine.status;
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
