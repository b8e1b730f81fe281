import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { MqttIngestionService } from '../telemetry/mqtt-ingestion.service';

/**
 * Liveness (the process answers) and readiness (the database answers) for load balancers and
 * orchestrators; the MQTT ingestion's state for monitoring, kept out of readiness so that a broker
 * outage does not take the GraphQL API out of the load balancer (devices fall back to HTTPS).
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly mqtt: MqttIngestionService,
  ) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.db.pingCheck('database', { timeout: 2000 })]);
  }

  /** 200 when MQTT is not configured or the readings subscription is up; 503 while it is down. */
  @Get('mqtt')
  mqttStatus(@Res({ passthrough: true }) reply: FastifyReply) {
    const s = this.mqtt.status();
    const up = !s.configured || s.subscribed;
    void reply.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: up ? 'ok' : 'down', ...s };
  }
}
