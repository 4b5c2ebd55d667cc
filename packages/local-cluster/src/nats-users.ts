import { randomBytes } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { natsPermissions, type Namespace, type NatsRole } from '@stratus/contracts';

export interface NatsCredentials {
  readonly user: string;
  readonly password: string;
}

/**
 * One NATS user per role and one per worker node, with generated passwords
 * kept in a file of the data dir (mode 0600) so they survive restarts of the
 * cluster. Renders the `authorization` block of the nats-server config.
 */
export class NatsUsers {
  readonly #file: string;
  readonly #ns: Namespace;
  readonly #passwords: Map<string, string>;
  /** Node ids with a user, in the order they were added. */
  readonly #nodeIds = new Set<string>();

  private constructor(file: string, ns: Namespace, passwords: Map<string, string>) {
    this.#file = file;
    this.#ns = ns;
    this.#passwords = passwords;
  }

  static async load(file: string, ns: Namespace): Promise<NatsUsers> {
    let passwords = new Map<string, string>();
    try {
      const parsed = JSON.parse(await readFile(file, 'utf8')) as { passwords?: Record<string, unknown> };
      passwords = new Map(Object.entries(parsed.passwords ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const users = new NatsUsers(file, ns, passwords);
    for (const role of ['frontend', 'billing', 'autoscaler', 'events'] as const) users.#ensure(role);
    await users.save();
    return users;
  }

  /** The credentials of a role other than `node`. */
  role(role: Exclude<NatsRole, 'node'>): NatsCredentials {
    return { user: role, password: this.#ensure(role) };
  }

  /** The credentials of one node; `added` is true when the user is new (the server must reload its config). */
  node(nodeId: string): NatsCredentials & { readonly added: boolean } {
    const added = !this.#nodeIds.has(nodeId);
    this.#nodeIds.add(nodeId);
    const user = nodeUser(nodeId);
    return { user, password: this.#ensure(user), added };
  }

  /**
   * Drops a retired node's user and password. The running server keeps
   * accepting it until its config is next reloaded (a reload drops replies in
   * flight, so removing one node does not force one): the next saved config
   * lacks it.
   */
  forgetNode(nodeId: string): void {
    this.#nodeIds.delete(nodeId);
    this.#passwords.delete(nodeUser(nodeId));
  }

  async save(): Promise<void> {
    await writeFile(this.#file, `${JSON.stringify({ passwords: Object.fromEntries(this.#passwords) }, null, 2)}\n`, { mode: 0o600 });
    // writeFile's mode applies only when it creates the file.
    await chmod(this.#file, 0o600);
  }

  /** The `authorization { users = [...] }` block for nats-server. */
  authorizationConfig(): string {
    const entries: string[] = [];
    for (const role of ['frontend', 'billing', 'autoscaler', 'events'] as const) entries.push(userEntry(role, this.#ensure(role), natsPermissions(this.#ns, role)));
    for (const nodeId of this.#nodeIds) {
      entries.push(userEntry(nodeUser(nodeId), this.#ensure(nodeUser(nodeId)), natsPermissions(this.#ns, 'node', nodeId)));
    }
    return ['authorization {', '  users = [', ...entries, '  ]', '}'].join('\n');
  }

  #ensure(user: string): string {
    let password = this.#passwords.get(user);
    if (password === undefined) {
      password = randomBytes(24).toString('base64url');
      this.#passwords.set(user, password);
    }
    return password;
  }
}

function nodeUser(nodeId: string): string {
  return `node-user-${nodeId}`;
}

function userEntry(user: string, password: string, permissions: ReturnType<typeof natsPermissions>): string {
  const list = (subjects: readonly string[]): string => `[${subjects.map((subject) => JSON.stringify(subject)).join(', ')}]`;
  // An empty allow list would allow everything: deny everything instead.
  const deny = permissions.publishDeny.length === 0 ? '' : `, deny: ${list(permissions.publishDeny)}`;
  const publish = permissions.publish.length === 0 ? `{ deny: [">"] }` : `{ allow: ${list(permissions.publish)}${deny} }`;
  return [
    `    { user: ${JSON.stringify(user)}, password: ${JSON.stringify(password)}, permissions: {`,
    `        publish: ${publish}`,
    `        subscribe: { allow: ${list(permissions.subscribe)} }`,
    ...(permissions.allowResponses ? ['        allow_responses: true'] : []),
    '    } }',
  ].join('\n');
}
