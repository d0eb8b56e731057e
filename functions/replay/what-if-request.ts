import { z } from 'zod';
import { IsoDate } from '../domain/declaration/model.js';
import { RiskProfile } from '../domain/risk/index.js';
import { catalogFromFiles, ReferenceDataFile } from '../domain/tax/index.js';
import type { ReferenceOverrides } from './reference.js';

/** The reference data a what-if tries: reference-data files (tariff lines, VAT, FX, rules) and/or a risk profile set. */
export const WhatIfOverrides = z
  .strictObject({
    tax: z.array(ReferenceDataFile).min(1).max(20).optional(),
    riskProfiles: z.array(RiskProfile).min(1).max(500).optional(),
  })
  .refine((o) => o.tax || o.riskProfiles, 'a what-if needs other tax reference data or risk profiles');
export type WhatIfOverrides = z.infer<typeof WhatIfOverrides>;

/** POST /audits/what-if. */
export const WhatIfRequest = z.strictObject({
  selection: z
    .strictObject({
      from: IsoDate,
      to: IsoDate,
      traderId: z.string().min(1).max(64).optional(),
      hsChapter: z.string().regex(/^\d{2}$/, 'must be a two-digit HS chapter').optional(),
      channel: z.enum(['GREEN', 'YELLOW', 'RED', 'QUERY']).optional(),
    })
    .refine((s) => s.from <= s.to, { message: 'from must not be after to', path: ['to'] }),
  overrides: WhatIfOverrides,
});

/** The overrides as the replay takes them. */
export function referenceOverrides(overrides: WhatIfOverrides): ReferenceOverrides {
  return {
    ...(overrides.tax ? { tax: catalogFromFiles(overrides.tax) } : {}),
    ...(overrides.riskProfiles ? { riskProfiles: overrides.riskProfiles } : {}),
  };
}
