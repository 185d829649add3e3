import { expect } from '@open-wc/testing';
import { BroadcastChannelDriver, MemoryDriver } from '../../src/index.js';
import { DRIVERS } from '../../elements/driver-descriptors/index.js';
import type { DriverConfig } from '../../elements/index.js';
import { loadElements } from './helpers.js';

// Each driver is described once (elements/driver-descriptors/); these build every one
// through createDriver, as <peerix-room driver="…"> does. No servers: a network driver is
// built against a closed port, which proves its client library loaded and its module ran.
const config = (name: string): DriverConfig => ({ name, url: 'http://127.0.0.1:9/x', prefix: 'descriptors/', token: '', key: 'anon', withCredentials: false });
const withClient = DRIVERS.filter((d) => d.client);

describe('driver descriptors', () => {
  it('name every driver once: DRIVER_NAMES and the unknown-driver error list them', async () => {
    const { DRIVER_NAMES, createDriver } = await loadElements();
    expect([...DRIVER_NAMES]).to.deep.equal(DRIVERS.map((d) => d.name));
    expect(new Set(DRIVER_NAMES).size).to.equal(DRIVER_NAMES.length);
    const error = await createDriver(config('carrier-pigeon')).catch((e: Error) => e);
    expect(String(error)).to.contain('unknown driver "carrier-pigeon"');
    for (const name of DRIVER_NAMES) expect(String(error)).to.contain(name);
  });

  it('memory (shared per prefix) and broadcast-channel need no client library', async () => {
    const { createDriver } = await loadElements();
    const [a, b, other] = await Promise.all([createDriver(config('memory')), createDriver(config('memory')), createDriver({ ...config('memory'), prefix: 'elsewhere/' })]);
    expect(a.driver).to.be.instanceOf(MemoryDriver);
    expect(b.driver).to.equal(a.driver);
    expect(other.driver).to.not.equal(a.driver);
    const bc = await createDriver(config('broadcast-channel'));
    expect(bc.driver).to.be.instanceOf(BroadcastChannelDriver);
    bc.close();
  });

  it('a driver whose client library was not provided rejects with MissingDriverPackageError naming its package', async () => {
    const { createDriver, MissingDriverPackageError } = await loadElements();
    expect(withClient.map((d) => d.name)).to.have.members(['mqtt', 'nats', 'socket-io', 'supabase', 'centrifuge']);
    for (const descriptor of withClient) {
      const error = await createDriver(config(descriptor.name)).then(() => null, (e: unknown) => e);
      expect(error, descriptor.name).to.be.instanceOf(MissingDriverPackageError);
      expect((error as InstanceType<typeof MissingDriverPackageError>).packageName).to.equal(descriptor.client!.package);
    }
  });

  it('with peerix/elements/drivers/* imported, every descriptor loads its client and builds its driver', async function () {
    this.timeout(60000);
    const { createDriver, provideDriverClient, MissingDriverPackageError } = await loadElements();
    await import('../../elements/drivers/all.js');
    // The test server cannot serve socket.io-client's default build (its `debug` dependency is
    // CommonJS): provideDriverClient points the driver at the package's own ES module bundle.
    const socketIoBundle: string = '/node_modules/socket.io-client/dist/socket.io.esm.min.js';
    provideDriverClient('socket.io-client', () => import(/* @vite-ignore */ socketIoBundle));
    const built: Record<string, string> = {};
    for (const descriptor of withClient) {
      try {
        const created = await createDriver(config(descriptor.name));
        built[descriptor.name] = created.driver.constructor.name;
        created.close();
      } catch (error) {
        // A client that connects before returning (NATS) rejects on the closed port: loaded all the same.
        expect(error, `${descriptor.name}: ${String((error as Error).cause)}`).to.not.be.instanceOf(MissingDriverPackageError);
        built[descriptor.name] = 'connect refused';
      }
    }
    expect(built).to.deep.equal({ mqtt: 'MqttDriver', nats: 'connect refused', 'socket-io': 'SocketIoDriver', supabase: 'SupabaseDriver', centrifuge: 'CentrifugeDriver' });
  });
});
