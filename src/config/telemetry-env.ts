import { Transform } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { toInt } from './env-transforms';

/**
 * 物联网 — the telemetry capability's settings (MQTT ingestion, reading checks, tracks, weighbridges):
 * part of `Env`, which extends this class, validated with it at start.
 */
export class TelemetryEnv {
  /** MQTT broker the API subscribes to for device readings (e.g. mqtt://broker:1883); unset: no MQTT. */
  @IsOptional()
  @Matches(/^(mqtts?|wss?|tcp|ssl):\/\/\S+$/, {
    message: 'MQTT_URL must be an mqtt://, mqtts://, ws:// or wss:// URL',
  })
  MQTT_URL?: string;

  /** The API's own broker account; the broker auth endpoints accept it for the readings subscription. */
  @IsOptional()
  @Matches(/^[\w.@:-]{1,64}$/)
  MQTT_USERNAME?: string;

  @IsOptional()
  @IsString()
  MQTT_PASSWORD?: string;

  /** Topic prefix: devices publish to `<prefix>/<deviceId>/readings`. */
  @Matches(/^[\w-]+(\/[\w-]+)*$/, { message: 'MQTT_TOPIC_PREFIX: topic levels of letters, digits, _ and -' })
  MQTT_TOPIC_PREFIX = 'hazledger/telemetry';

  /** Shared-subscription group, so that each message reaches one API process; empty: a plain subscription. */
  @Matches(/^[\w-]*$/)
  MQTT_SHARE_GROUP = 'hazledger';

  /** Most readings (points and weighings) in one batch. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  TELEMETRY_BATCH_LIMIT = 2000;

  /** Highest credible speed, reported or implied by a jump, in km/h. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(1000)
  TELEMETRY_MAX_SPEED_KMH = 160;

  /** How far ahead of the server a device clock may be, in seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86_400)
  TELEMETRY_MAX_CLOCK_SKEW_SECONDS = 300;

  /** Oldest reading accepted (a unit syncing after an outage), in days. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  TELEMETRY_MAX_AGE_DAYS = 90;

  /** 疑似倾倒: a loaded vehicle stopped this long outside every licensed and manifest site, in minutes. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  TELEMETRY_STOP_MINUTES = 30;

  /** Points within this radius of a stop's centre belong to the stop, in metres. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(5000)
  TELEMETRY_STOP_RADIUS_M = 100;

  /** Geofence radius of a site that sets none, in metres. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(50_000)
  TELEMETRY_GEOFENCE_RADIUS_M = 300;

  /** 运输超时: a trip taking more than this many times its expected time (may have 2 decimals). */
  @Transform(({ value }: { value: unknown }) =>
    value === undefined || value === '' ? undefined : Number(value),
  )
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(1)
  @Max(100)
  TELEMETRY_TRIP_OVERDUE_FACTOR = 2;

  /** Average speed of a loaded vehicle for the expected trip time (road distance = 1.3 × straight line), km/h. */
  @Transform(toInt)
  @IsInt()
  @Min(5)
  @Max(120)
  TELEMETRY_EXPECTED_SPEED_KMH = 40;

  /** 轨迹缺失: a manifest in transit whose vehicle sent no point for this long, in minutes. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 60)
  TELEMETRY_TRACK_MISSING_MINUTES = 60;

  /** 地磅差异: receipt net below the pickup weighing by more than this, in percent (may have 2 decimals). */
  @Transform(({ value }: { value: unknown }) =>
    value === undefined || value === '' ? undefined : Number(value),
  )
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(100)
  TELEMETRY_WEIGHING_TOLERANCE_PERCENT = 5;

  /** A weighing matches a manifest's pickup or receipt within this time of the custody act, in minutes. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 60)
  TELEMETRY_WEIGHING_WINDOW_MINUTES = 240;

  /** Months of reading partitions created ahead of the current one. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24)
  TELEMETRY_PARTITIONS_AHEAD_MONTHS = 3;
}
