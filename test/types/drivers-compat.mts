// Type-level check that the real client libraries fit the minimal client
// shapes the drivers declare (the engine itself imports no client types, so
// Node's globals never leak into it). Run: npx tsc -p test/types/tsconfig.json
import type { MqttClient } from 'mqtt';
import type { NatsConnection } from '@nats-io/nats-core';
import type { Socket } from 'socket.io-client';
import type { Centrifuge } from 'centrifuge';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { MqttClientLike } from '../../src/drivers/mqtt.js';
import type { NatsConnectionLike } from '../../src/drivers/nats.js';
import type { SocketLike } from '../../src/drivers/socket-io.js';
import type { CentrifugeLike } from '../../src/drivers/centrifuge.js';
import type { SupabaseClientLike } from '../../src/drivers/supabase.js';

type Fits<Real, Like> = Real extends Like ? true : never;
export const checks: [
  Fits<MqttClient, MqttClientLike>,
  Fits<NatsConnection, NatsConnectionLike>,
  Fits<Socket, SocketLike>,
  Fits<Centrifuge, CentrifugeLike>,
  Fits<SupabaseClient, SupabaseClientLike>,
] = [true, true, true, true, true];

declare const mqtt: MqttClient, nc: NatsConnection, socket: Socket, centrifuge: Centrifuge, supabase: SupabaseClient;
export const assigned: [MqttClientLike, NatsConnectionLike, SocketLike, CentrifugeLike, SupabaseClientLike] = [mqtt, nc, socket, centrifuge, supabase];
