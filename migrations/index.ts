import { Roles1764300000000 } from './1764300000000-roles';
import { WasteCatalogue1764300000100 } from './1764300000100-waste-catalogue';
import { Ledger1764300000200 } from './1764300000200-ledger';
import { PartiesAndAccess1764300000300 } from './1764300000300-parties-and-access';
import { Licences1764300000400 } from './1764300000400-licences';
import { Lots1764300000500 } from './1764300000500-lots';
import { Manifests1764300000600 } from './1764300000600-manifests';
import { Flows1764300000700 } from './1764300000700-flows';
import { Oversight1764300000800 } from './1764300000800-oversight';
import { Telemetry1764300000900 } from './1764300000900-telemetry';
import { Documents1764300001000 } from './1764300001000-documents';
import { OperationReport1764300001100 } from './1764300001100-operation-report';

/** Every migration, in order. Explicit classes rather than globs: the same list works from src and dist. */
export const MIGRATIONS = [
  Roles1764300000000,
  WasteCatalogue1764300000100,
  Ledger1764300000200,
  PartiesAndAccess1764300000300,
  Licences1764300000400,
  Lots1764300000500,
  Manifests1764300000600,
  Flows1764300000700,
  Oversight1764300000800,
  Telemetry1764300000900,
  Documents1764300001000,
  OperationReport1764300001100,
];
