import { execFile, execFileSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { access, constants } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One host of a {@link HostNetwork}: a network namespace wired into the bridge. */
export interface NetnsHost {
  /** The namespace, as `ip netns exec` takes it. */
  readonly netns: string;
  /** The veth end left on the bridge: taking it down cuts the host off. */
  readonly veth: string;
  /** Its IPv4 address in the network's /24. */
  readonly address: string;
}

/**
 * A private /24 on this machine: a bridge holding `<prefix>.1` (so the test
 * process reaches every host) and one network namespace per host, joined to
 * the bridge by a veth pair, loopback up. Every name carries a random id,
 * so parallel runs never collide; `destroy()` removes all of it, and so does
 * the test process exiting (a synchronous 'exit' hook), whatever ended it.
 */
export class HostNetwork {
  readonly id: string;
  /** `10.77.N`: the network's first three octets. */
  readonly prefix: string;
  readonly bridge: string;
  readonly #hosts = new Map<string, NetnsHost>();
  #destroyed = false;
  readonly #onExit = (): void => this.destroySync();

  private constructor(id: string, prefix: string) {
    this.id = id;
    this.prefix = prefix;
    this.bridge = `snb${id}`;
  }

  /**
   * Checks that this machine can build the network (root, `ip`, bridges,
   * namespaces, veth pairs) and creates the bridge. Rejects with what is
   * missing, never quietly: a test that needs it must fail, not skip.
   */
  static async create(): Promise<HostNetwork> {
    await preflight();
    const network = new HostNetwork(randomBytes(3).toString('hex'), await unusedPrefix());
    process.on('exit', network.#onExit);
    try {
      await ip('link', 'add', 'name', network.bridge, 'type', 'bridge');
      await ip('addr', 'add', `${network.prefix}.1/24`, 'dev', network.bridge);
      await ip('link', 'set', network.bridge, 'up');
    } catch (err) {
      await network.destroy();
      throw new Error(`cannot create a bridge (kernel without bridge support?): ${(err as Error).message}`, { cause: err });
    }
    return network;
  }

  get hosts(): ReadonlyMap<string, NetnsHost> {
    return this.#hosts;
  }

  /** Adds namespace `sn<id>-<name>` with address `<prefix>.<hostNumber>`, its bridge end named `v<id>h<hostNumber>`. */
  async addHost(name: string, hostNumber: number): Promise<NetnsHost> {
    if (this.#hosts.has(name)) throw new Error(`host ${name} already exists`);
    if (!Number.isInteger(hostNumber) || hostNumber < 2 || hostNumber > 254) throw new RangeError(`host number ${hostNumber} is not in 2..254`);
    const host: NetnsHost = { netns: `sn${this.id}-${name}`, veth: `v${this.id}h${hostNumber}`, address: `${this.prefix}.${hostNumber}` };
    if ([...this.#hosts.values()].some((other) => other.veth === host.veth || other.address === host.address)) {
      throw new Error(`host ${name} would reuse an interface name or address`);
    }
    this.#hosts.set(name, host);
    await ip('netns', 'add', host.netns);
    await ip('-n', host.netns, 'link', 'set', 'lo', 'up');
    await ip('link', 'add', host.veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', host.netns);
    await ip('link', 'set', host.veth, 'master', this.bridge, 'up');
    await ip('-n', host.netns, 'addr', 'add', `${host.address}/24`, 'dev', 'eth0');
    await ip('-n', host.netns, 'link', 'set', 'eth0', 'up');
    return host;
  }

  /** Cuts the host off the network: its veth goes down, packets stop both ways, connections hang rather than reset. */
  async cut(name: string): Promise<void> {
    await ip('link', 'set', this.#host(name).veth, 'down');
  }

  async restore(name: string): Promise<void> {
    await ip('link', 'set', this.#host(name).veth, 'up');
  }

  /** Removes every namespace, veth and the bridge. Safe to call twice; keeps going past failures. */
  async destroy(): Promise<void> {
    if (this.#destroyed) return;
    this.#destroyed = true;
    process.off('exit', this.#onExit);
    for (const host of this.#hosts.values()) {
      await ip('link', 'del', host.veth).catch(() => undefined);
      await ip('netns', 'del', host.netns).catch(() => undefined);
    }
    await ip('link', 'del', this.bridge).catch(() => undefined);
  }

  /** {@link destroy} for a process 'exit' hook, where nothing asynchronous runs any more. */
  destroySync(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    const quietly = (...args: string[]): void => {
      try {
        execFileSync('ip', args, { stdio: 'ignore' });
      } catch {
        // Already gone.
      }
    };
    for (const host of this.#hosts.values()) {
      quietly('link', 'del', host.veth);
      quietly('netns', 'del', host.netns);
    }
    quietly('link', 'del', this.bridge);
  }

  #host(name: string): NetnsHost {
    const host = this.#hosts.get(name);
    if (host === undefined) throw new Error(`no host ${name}`);
    return host;
  }
}

async function ip(...args: string[]): Promise<string> {
  try {
    return (await run('ip', args)).stdout;
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim();
    throw new Error(`ip ${args.join(' ')} failed${stderr ? `: ${stderr}` : ''}`, { cause: err });
  }
}

/** What a multi-namespace cluster needs from the machine, each missing piece named. */
async function preflight(): Promise<void> {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('root (network namespaces and bridges need CAP_NET_ADMIN; run the tests as root)');
  try {
    await run('ip', ['-V']);
  } catch {
    missing.push('the `ip` command (Debian package iproute2)');
  }
  try {
    await access('/proc/self/ns/net', constants.R_OK);
  } catch {
    missing.push('network namespaces (kernel CONFIG_NET_NS)');
  }
  if (missing.length > 0) throw new Error(`this test needs ${missing.join(', ')}`);
  // Namespaces and veth pairs may still be refused (a container without the rights); find out with a throwaway one.
  const probe = `snprobe${randomBytes(3).toString('hex')}`;
  try {
    await ip('netns', 'add', probe);
    try {
      await ip('link', 'add', `${probe}a`, 'type', 'veth', 'peer', 'name', 'p0', 'netns', probe);
    } catch (err) {
      throw new Error(`this test needs veth pairs (kernel CONFIG_VETH): ${(err as Error).message}`, { cause: err });
    }
  } catch (err) {
    if ((err as Error).message.startsWith('this test needs')) throw err;
    throw new Error(`this test needs to create network namespaces (ip netns add): ${(err as Error).message}`, { cause: err });
  } finally {
    await ip('link', 'del', `${probe}a`).catch(() => undefined);
    await ip('netns', 'del', probe).catch(() => undefined);
  }
}

/** A `10.77.N` prefix that no interface on this machine uses yet. */
async function unusedPrefix(): Promise<string> {
  const inUse = await ip('-4', '-o', 'addr', 'show');
  for (let attempt = 0; attempt < 50; attempt++) {
    const prefix = `10.77.${randomInt(256)}`;
    if (!inUse.includes(` ${prefix}.`)) return prefix;
  }
  throw new Error('no free 10.77.N.0/24 network on this machine');
}
