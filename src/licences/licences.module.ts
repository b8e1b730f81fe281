import { Global, Module } from '@nestjs/common';
import { LicenceReadService } from './licence-read.service';

/**
 * 许可与授权 — licences, transport permits, vehicles and crew, epidemics, emergency
 * authorisations and cross-province approvals. Global: later capabilities (manifests, lots)
 * inject `LicenceReadService` and `LicenceCheckService` without importing this module.
 */
@Global()
@Module({
  providers: [LicenceReadService],
  exports: [LicenceReadService],
})
export class LicencesModule {}
