import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { TelemetryModule } from '../telemetry/telemetry.module';
import { HealthController } from './health.controller';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), TelemetryModule],
  controllers: [HealthController],
})
export class HealthModule {}
